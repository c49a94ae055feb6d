# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCommon
from odoo.addons.mail.tests.common import MockEmail


@tagged("post_install", "-at_install")
class TestCreditControlLifecycle(MockEmail, LifecycleCommon):
    """Real credit control runs over real posted invoices: disputes and payment
    promises pause them, reminders land in the timeline and set the customer's
    dunning level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        template = cls.env.ref(
            "account_credit_control.email_template_credit_control_base"
        )

        def level(number, channel, mode, delay):
            return Command.create(
                {
                    "name": f"Reminder {number}",
                    "level": number,
                    "channel": channel,
                    "computation_mode": mode,
                    "delay_days": delay,
                    "email_template_id": template.id,
                    "custom_text": "Please pay",
                    "custom_mail_text": "<p>Please pay</p>",
                }
            )

        cls.policy = cls.env["credit.control.policy"].create(
            {
                "name": "Three reminders",
                "account_ids": [
                    Command.set(cls.customer.property_account_receivable_id.ids)
                ],
                "level_ids": [
                    level(1, "email", "net_days", 0),
                    level(2, "letter", "previous_date", 10),
                    level(3, "phone", "previous_date", 10),
                ],
            }
        )
        cls.env.company.write(
            {"credit_policy_id": cls.policy.id, "email": "billing@nube.example.com"}
        )
        cls.env.user.email = "accounting@nube.example.com"
        cls.other = cls.env["res.partner"].create(
            {"name": "Deco Addict", "is_company": True, "email": "deco@example.com"}
        )

    def _run(self, days):
        """A credit control run ``days`` after today, with its new lines."""
        run = self.env["credit.control.run"].create(
            {
                "date": self.today + timedelta(days=days),
                "policy_ids": [Command.set(self.policy.ids)],
            }
        )
        run.generate_credit_lines()
        return run

    def _lines(self, run, invoice):
        return run.line_ids.filtered(lambda line: line.invoice_id == invoice)

    def _collections(self, customer):
        return self.env["crm.interaction"].search(
            [("partner_id", "=", customer.id), ("interaction_type", "=", "collection")]
        )

    def test_disputed_invoice_skipped_until_complaint_closes(self):
        if "crm.complaint" not in self.env:
            self.skipTest("crm_complaints is not installed")
        disputed = self._invoice(self._order(price=600.0))
        undisputed = self._invoice(self._order(partner=self.other, price=300.0))
        complaint = self.env["crm.complaint"].create(
            {
                "subject": "Wrong price on the invoice",
                "kind": "claim",
                "partner_id": self.customer.id,
                "invoice_id": disputed.id,
            }
        )
        self.assertTrue(disputed.complaint_disputed)
        run = self._run(5)
        self.assertFalse(self._lines(run, disputed), "a disputed invoice is skipped")
        self.assertTrue(self._lines(run, undisputed), "the others are reminded")
        # the complaint closes: the invoice comes back by itself at level 1
        complaint.action_close()
        self.assertFalse(disputed.complaint_disputed)
        run = self._run(6)
        line = self._lines(run, disputed)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.level, 1)
        self.assertEqual(line.balance_due, 600.0)

    def test_accountant_exclusion_skipped(self):
        invoice = self._invoice(self._order(price=200.0))
        invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).no_followup = True
        self.assertFalse(self._lines(self._run(5), invoice))

    def test_reminders_in_timeline_and_dunning_level(self):
        invoice = self._invoice(self._order(price=450.0))
        self.assertEqual(self.customer.lifecycle_dunning_level, 0)
        run = self._run(5)
        run.set_to_ready_lines()
        line = self._lines(run, invoice)
        self.assertEqual((line.state, line.channel), ("to_be_sent", "email"))
        # level 1 by e-mail: the interaction is logged when the mail goes out
        run.run_channel_action()
        self.assertEqual(line.state, "queued")
        self.assertFalse(self._collections(self.customer))
        with self.mock_mail_gateway():
            self.env["mail.mail"].search(
                [("model", "=", "credit.control.communication")]
            ).send()
        self.assertSentEmail("billing@nube.example.com", [self.customer])
        self.assertEqual(line.state, "sent")
        interaction = self._collections(self.customer)
        self.assertEqual(len(interaction), 1)
        self.assertEqual(
            (interaction.channel, interaction.direction, interaction.res_model),
            ("email", "outbound", "credit.control.communication"),
        )
        self.assertEqual(interaction.res_id, line.communication_id.id)
        self.assertIn("Reminder 1", interaction.name)
        self.assertIn(invoice.name, interaction.description)
        self.assertEqual(self.customer.lifecycle_dunning_level, 1)
        self.assertTrue(self.customer.lifecycle_last_collection_date)
        self.assertIn("Dunning level", self.customer.lifecycle_summary_html)
        # level 2 by letter, printed and marked done
        run = self._run(16)
        run.set_to_ready_lines()
        letter = self._lines(run, invoice)
        self.assertEqual((letter.level, letter.channel), (2, "letter"))
        self.env["credit.control.printer"].create(
            {"line_ids": [Command.set(letter.ids)]}
        ).print_lines()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(
            self._collections(self.customer).mapped("channel"), ["post", "email"]
        )
        self.assertEqual(self.customer.lifecycle_dunning_level, 2)
        # level 3 by phone: the call marked done without a communication
        run = self._run(27)
        call = self._lines(run, invoice)
        self.assertEqual((call.level, call.channel), (3, "phone"))
        wizard = self.env["credit.control.marker"].create(
            {"name": "sent", "line_ids": [Command.set(call.ids)]}
        )
        wizard.mark_lines()
        phone = self._collections(self.customer).filtered(
            lambda i: i.channel == "phone"
        )
        self.assertEqual(phone.res_model, "credit.control.line")
        self.assertIn(invoice.name, phone.name)
        self.assertEqual(self.customer.lifecycle_dunning_level, 3)
        # usable by the Collections list's filters (a search on the fact)
        self.assertIn(
            self.customer,
            self.env["res.partner"].search([("lifecycle_dunning_level", ">=", 3)]),
        )
        # paid: nothing left to remind, the level falls back to 0
        self._pay(invoice)
        self.assertEqual(self.customer.lifecycle_dunning_level, 0)

    def test_payment_promise_pauses_dunning(self):
        invoice = self._invoice(self._order(price=800.0))
        self.env["crm.interaction"].create(
            {
                "name": "Will pay next week",
                "partner_id": self.customer.id,
                "interaction_type": "payment_promise",
                "promise_date": self.today + timedelta(days=10),
                "promise_amount": 800.0,
            }
        )
        self.assertFalse(self._lines(self._run(5), invoice), "paused by the promise")
        self.assertFalse(self._lines(self._run(10), invoice), "until its date")
        line = self._lines(self._run(11), invoice)
        self.assertEqual(line.level, 1, "the promised date passed: reminded")

    def test_promise_naming_invoices_pauses_only_them(self):
        promised = self._invoice(self._order(price=100.0))
        other = self._invoice(self._order(price=200.0))
        self.env["crm.interaction"].create(
            {
                "name": "Will pay the first one",
                "partner_id": self.customer.id,
                "interaction_type": "payment_promise",
                "promise_date": self.today + timedelta(days=10),
                "promise_amount": 100.0,
                "promise_invoice_ids": [Command.set(promised.ids)],
            }
        )
        run = self._run(5)
        self.assertFalse(self._lines(run, promised))
        self.assertTrue(self._lines(run, other))

    def test_lifecycle_rule_on_dunning_level(self):
        """A rule on the dunning level moves the customer when a reminder of
        that level reaches it."""
        self.env["crm.lifecycle.rule"].create(
            {
                "name": "At risk: third reminder",
                "sequence": 1,
                "filter_domain": "[('lifecycle_dunning_level', '>=', 3)]",
                "stage_id": self.stages["at_risk"].id,
            }
        )
        invoice = self._invoice(self._order(price=300.0))
        for days, state in ((5, "sent"), (16, "sent"), (27, "sent")):
            run = self._run(days)
            self._lines(run, invoice).write({"state": state})
        self.assertEqual(self.customer.lifecycle_dunning_level, 3)
        self.assertStage(self.customer, "at_risk")

    def test_receivable_events_refresh_the_dunning_level(self):
        """The events that re-read the receivables re-read the dunning level,
        in the same single query."""
        event = self.env.ref("crm_lifecycle.event_payment_received")
        groups = event._get_fact_groups()
        self.assertIn("dunning", groups)
        self.assertNotIn(
            "dunning",
            self.env.ref("crm_lifecycle.event_lead_created")._get_fact_groups(),
        )
        customer = self.customer.sudo()
        customer._lifecycle_refresh_facts(groups, one_query=True)  # warm the caches
        self.env.flush_all()
        with self.assertQueryCount(1):
            customer._lifecycle_refresh_facts(groups, one_query=True)

    def test_segmentation_rule_dimension_on_dunning_level(self):
        """Customer Segmentation's rule dimensions place customers by their
        dunning level like by any other fact."""
        if "crm.segment.matrix" not in self.env:
            self.skipTest("crm_segmentation is not installed")
        invoice = self._invoice(self._order(price=300.0))
        self._lines(self._run(5), invoice).write({"state": "sent"})
        self.assertEqual(self.customer.lifecycle_dunning_level, 1)

        def dimension(name, levels):
            return self.env["crm.segment.dimension"].create(
                {
                    "name": name,
                    "dimension_type": "rule",
                    "level_ids": [
                        Command.create({"name": level, "domain": domain, "sequence": n})
                        for n, (level, domain) in enumerate(levels, start=1)
                    ],
                }
            )

        dunning = dimension(
            "Dunning",
            [
                ("Reminded twice", "[('lifecycle_dunning_level', '>=', 2)]"),
                ("Reminded", "[('lifecycle_dunning_level', '>=', 1)]"),
            ],
        )
        kind = dimension("Kind", [("Companies", "[('is_company', '=', True)]")])
        matrix = self.env["crm.segment.matrix"].create(
            {
                "name": "Dunning x kind",
                "row_dimension_id": dunning.id,
                "col_dimension_id": kind.id,
            }
        )
        matrix.action_recompute()
        membership = self.env["crm.segment.membership"].search(
            [("matrix_id", "=", matrix.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(membership.cell_id.row_level_id.name, "Reminded")
