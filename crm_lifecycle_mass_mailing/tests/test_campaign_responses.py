# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Campaign responses in the customer's timeline (issue 16, item 2): a real
mailing sent through Email Marketing (the SMTP server mocked, as Odoo's own
mass mailing tests do), its traces opened, clicked, replied and bounced."""

from odoo import fields
from odoo.tests import tagged, users

from odoo.addons.mass_mailing.tests.common import MassMailCommon

from ..models.mailing_trace import QUEUE_KEY
from ..models.mailing_trace_backfill import CURSOR_PARAM


@tagged("post_install", "-at_install")
class TestCampaignResponses(MassMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.azure = Partner.create(
            {
                "name": "Azure Interior",
                "is_company": True,
                "email": "info@azure.example.com",
            }
        )
        cls.ana = Partner.create(
            {
                "name": "Ana Azure",
                "parent_id": cls.azure.id,
                "email": "ana@azure.example.com",
            }
        )
        cls.bob = Partner.create(
            {"name": "Bob Deco", "is_company": True, "email": "bob@deco.example.com"}
        )
        recipients = cls.ana | cls.bob | cls.user_marketing.partner_id
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "name": "Spring offer",
                "subject": "Our spring offer",
                "body_html": "<p>Hello, see <a href='https://www.example.com/spring'>"
                "the offer</a></p>",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": [("id", "in", recipients.ids)],
                "user_id": cls.user_marketing.id,
            }
        )
        cls.Interaction = cls.env["crm.interaction"]

    def _responses(self, customer, event=None):
        """The campaign responses of a customer once the transaction would
        commit (they are logged then, all at once)."""
        self.env.flush_all()
        self.env.cr.flush()
        domain = [
            ("partner_id", "=", customer.id),
            ("interaction_type", "=", "campaign_response"),
        ]
        if event:
            domain.append(("campaign_event", "=", event))
        return self.Interaction.search(domain)

    def _send(self):
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self.mailing.action_send_mail()
        self.env.flush_all()
        self.env.cr.flush()

    def test_each_event_once_for_the_customer(self):
        self._send()
        sent = self._responses(self.azure, "sent")
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.contact_id, self.ana, "the person it reached")
        self.assertEqual(sent.direction, "outbound")
        self.assertEqual(sent.department, "marketing")
        self.assertEqual(sent.mailing_id, self.mailing)
        self.assertEqual(
            (sent.res_model, sent.res_id), ("mailing.mailing", self.mailing.id)
        )
        self.assertIn("Our spring offer", sent.name)
        self.assertEqual(len(self._responses(self.bob, "sent")), 1)
        employee = self.Interaction.search(
            [("partner_id", "=", self.user_marketing.partner_id.id)]
        )
        self.assertFalse(employee, "an employee is no customer")

        trace_ana = self.gateway_mail_trace_open(self.mailing, self.ana)
        trace_ana.set_clicked()  # what a click on a tracked link does
        self.gateway_mail_trace_reply(self.mailing, self.ana)
        self.gateway_mail_trace_bounce(self.mailing, self.bob)
        events = self._responses(self.azure).mapped("campaign_event")
        self.assertEqual(sorted(events), ["clicked", "opened", "replied", "sent"])
        opened = self._responses(self.azure, "opened")
        self.assertEqual(opened.direction, "inbound")
        self.assertEqual(opened.mailing_trace_id, trace_ana)
        self.assertEqual(
            self._responses(self.bob).mapped("campaign_event"),
            ["bounced", "sent"]
            if self._responses(self.bob)[0].campaign_event == "bounced"
            else ["sent", "bounced"],
        )

        # idempotent: a second click, the same traces logged again
        trace_ana.set_clicked()
        (self.mailing.mailing_trace_ids)._lifecycle_log_campaign_events()
        self.assertEqual(len(self._responses(self.azure)), 4)
        self.assertEqual(len(self._responses(self.bob)), 2)

    def test_facts_and_rules(self):
        self._send()
        self.azure.invalidate_recordset()
        self.assertFalse(self.azure.lifecycle_last_campaign_response_date)
        self.assertEqual(self.azure.lifecycle_campaign_response_count, 0)
        rule = self.env["crm.lifecycle.rule"].create(
            {
                "name": "Responded to a campaign in the last 90 days",
                "sequence": 1,
                "filter_domain": (
                    "[('lifecycle_days_since_campaign_response', '<=', 90)]"
                ),
                "stage_id": self.env.ref("crm_lifecycle.stage_probable").id,
                "event_ids": [
                    (
                        4,
                        self.env.ref(
                            "crm_lifecycle_mass_mailing.event_campaign_response"
                        ).id,
                    )
                ],
            }
        )
        self.gateway_mail_trace_open(self.mailing, self.ana)
        self.gateway_mail_trace_reply(self.mailing, self.ana)
        self._responses(self.azure)
        self.azure.invalidate_recordset()
        today = fields.Date.context_today(self.azure)
        self.assertEqual(self.azure.lifecycle_last_campaign_response_date, today)
        self.assertEqual(self.azure.lifecycle_campaign_response_count, 2)
        self.assertEqual(self.azure.lifecycle_days_since_campaign_response, 0)
        self.assertEqual(self.azure.lifecycle_stage_id, rule.stage_id)
        self.assertEqual(rule.move_count, 1)
        # Bob only received it: not a response
        self.bob.invalidate_recordset()
        self.assertEqual(self.bob.lifecycle_campaign_response_count, 0)
        self.assertNotEqual(self.bob.lifecycle_stage_id, rule.stage_id)
        found = self.env["res.partner"].search(
            [("lifecycle_days_since_campaign_response", "<=", 90)]
        )
        self.assertEqual(found, self.azure | self.ana)
        # the responses are the facts of the company of the mailing's
        # interactions: another company of a shared customer has none
        company_b = self.env["res.company"].create({"name": "Company B"})
        azure_b = self.azure.with_company(company_b)
        azure_b._lifecycle_refresh_facts()
        self.assertEqual(azure_b.lifecycle_campaign_response_count, 0)
        self.assertFalse(azure_b.lifecycle_last_campaign_response_date)
        self.assertEqual(self.azure.lifecycle_campaign_response_count, 2)

    def test_recipient_of_a_mailing_list(self):
        """A mailing contact is matched to the customer with its e-mail; an
        address two customers share, or nobody has, logs nothing."""
        self.env["res.partner"].create(
            {"name": "Shared A", "is_company": True, "email": "shared@example.com"}
        )
        self.env["res.partner"].create(
            {"name": "Shared B", "is_company": True, "email": "shared@example.com"}
        )
        mailing_list = self.env["mailing.list"].create(
            {
                "name": "Newsletter",
                "contact_ids": [
                    (0, 0, {"name": "Bob", "email": "Bob <bob@deco.example.com>"}),
                    (0, 0, {"name": "Shared", "email": "shared@example.com"}),
                    (0, 0, {"name": "Stranger", "email": "nobody@example.com"}),
                ],
            }
        )
        self.mailing.write(
            {
                "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
                "contact_list_ids": [(6, 0, mailing_list.ids)],
            }
        )
        self._send()
        self.assertEqual(len(self.mailing.mailing_trace_ids), 3)
        logged = self.Interaction.search([("mailing_id", "=", self.mailing.id)])
        self.assertEqual(logged.partner_id, self.bob)

    @users("user_marketing")
    def test_a_marketing_user_sends(self):
        """The marketing user needs no right on the timeline: it is logged
        by the system for it."""
        mailing = self.mailing.with_user(self.env.user)
        with self.mock_mail_gateway(mail_unlink_sent=False):
            mailing.action_send_mail()
        self.env.flush_all()
        self.env.cr.flush()
        self.assertEqual(
            len(self.Interaction.sudo().search([("mailing_id", "=", mailing.id)])), 2
        )

    def test_logging_is_set_based(self):
        """Logging the events of 3 or 30 recipients costs the same queries."""

        def send(count):
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"Customer {count}-{i}",
                        "email": f"c{count}-{i}@example.com",
                    }
                    for i in range(count)
                ]
            )
            mailing = self.mailing.copy(
                {"mailing_domain": [("id", "in", partners.ids)]}
            )
            with self.mock_mail_gateway(mail_unlink_sent=False):
                mailing.action_send_mail()
            mailing.mailing_trace_ids.set_opened()
            self.env.flush_all()
            self.env.cr.precommit.data.pop(QUEUE_KEY)
            self.env.invalidate_all()
            return mailing.mailing_trace_ids

        def log(traces):
            start = self.cr.sql_log_count
            logged = traces._lifecycle_log_campaign_events()
            self.env.flush_all()
            return logged, self.cr.sql_log_count - start

        log(send(2))  # warm the caches
        few, few_queries = log(send(3))
        many, many_queries = log(send(30))
        self.assertEqual((len(few), len(many)), (6, 60), "sent and opened")
        self.assertEqual(many_queries, few_queries)

    def test_mailings_sent_before_reach_the_timeline(self):
        """At installation, a scheduled action logs the traces the database
        already has, in resumable batches, never twice."""

        with self.mock_mail_gateway(mail_unlink_sent=False):
            self.mailing.action_send_mail()
        self.gateway_mail_trace_open(self.mailing, self.ana)
        self.env.flush_all()
        # as if they were sent before the addon: nothing logged them
        self.env.cr.precommit.data.pop(QUEUE_KEY)
        self.assertFalse(self._responses(self.azure))
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(CURSOR_PARAM, 0)
        cron = self.env.ref("crm_lifecycle_mass_mailing.ir_cron_campaign_backfill")
        for _run in range(2):  # twice: nothing twice
            self.env["mailing.trace"]._lifecycle_start_campaign_backfill()
            self.assertTrue(cron.active)
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            self.env.invalidate_all()
            self.assertFalse(cron.active, "done: it stopped by itself")
            self.assertEqual(
                sorted(self._responses(self.azure).mapped("campaign_event")),
                ["opened", "sent"],
            )
            self.assertEqual(len(self._responses(self.bob)), 1)
            params.set_param(CURSOR_PARAM, 0)
