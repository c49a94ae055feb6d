# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The past too (issue 16, item 5): the e-mails a database exchanged before
reach the timelines by a scheduled action, in resumable batches, never twice."""

from markupsafe import Markup

from odoo.tests import tagged

from ..models.crm_interaction_backfill import CURSOR_PARAM
from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestEmailBackfill(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact.email = "brandon@azure.example.com"
        cls.company = cls.env.company
        cls.cron = cls.env.ref("crm_lifecycle.ir_cron_email_backfill")
        cls.params = cls.env["ir.config_parameter"].sudo()

    def _post_history(self, count):
        """E-mails exchanged while nothing logged them (the company logged no
        e-mail), half from us, half from the customer's contact."""
        self.company.lifecycle_email_logging = "none"
        messages = self.env["mail.message"]
        for i in range(count):
            if i % 2:
                messages |= self.customer.with_user(self.salesman).message_post(
                    body=Markup("<p>Offer %s</p>") % i,
                    subject=f"Offer {i}",
                    partner_ids=self.contact.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                messages |= self.customer.message_post(
                    body=Markup("<p>Question %s</p>") % i,
                    subject=f"Question {i}",
                    author_id=self.contact.id,
                    message_type="email",
                    subtype_xmlid="mail.mt_comment",
                )
        # an internal note is no contact
        self.customer.message_post(body="Internal: call them", message_type="comment")
        self.env.flush_all()
        self.env.cr.flush()
        self.company.lifecycle_email_logging = "all"
        return messages

    def _emails(self):
        return self.env["crm.interaction"].search(
            [("partner_id", "=", self.customer.id), ("interaction_type", "=", "email")]
        )

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_started_at_installation_and_resumable(self):
        messages = self._post_history(6)
        self.assertFalse(self._emails(), "nothing logged them at the time")
        # an earlier run stopped after the first three
        self.params.set_param(CURSOR_PARAM, messages.sorted("id")[2].id)
        self.env["crm.interaction"]._lifecycle_start_email_backfill()
        self.assertTrue(self.cron.active)
        self._run_cron()
        logged = self._emails()
        self.assertEqual(
            sorted(logged.message_id.ids), sorted(messages.sorted("id")[3:].ids)
        )
        self.assertEqual(set(logged.mapped("direction")), {"inbound", "outbound"})
        self.assertFalse(self.cron.active, "done: it stopped by itself")
        self.assertGreaterEqual(
            int(self.params.get_param(CURSOR_PARAM)), messages.sorted("id")[-1].id
        )
        # run twice (from the start): the rest, and nothing twice
        self.params.set_param(CURSOR_PARAM, 0)
        self.env["crm.interaction"]._lifecycle_start_email_backfill()
        self._run_cron()
        logged = self._emails()
        self.assertEqual(sorted(logged.message_id.ids), sorted(messages.ids))
        self.assertEqual(len(logged), 6, "one per message and customer")
        self.assertNotIn("Internal", " ".join(logged.mapped("name")))
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.lifecycle_interaction_count, 6)
