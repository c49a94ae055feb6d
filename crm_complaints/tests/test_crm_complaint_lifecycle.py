# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import FRIDAY_AFTERNOON, ComplaintDocumentsCommon

TUESDAY_LATE = datetime(2026, 1, 13, 10, 0)


@tagged("post_install", "-at_install")
class TestComplaintLifecycle(ComplaintDocumentsCommon):
    """Opening and closing complaints are interactions and lifecycle events;
    a breached high-priority complaint moves its customer to at risk."""

    def _interactions(self, complaint, interaction_type):
        return self.env["crm.interaction"].search(
            [
                ("res_model", "=", "crm.complaint"),
                ("res_id", "=", complaint.id),
                ("interaction_type", "=", interaction_type),
            ]
        )

    def _history(self, partner):
        return self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", partner.id)], order="id desc"
        )

    def test_events_declared(self):
        Event = self.env["crm.lifecycle.event"]
        for code in ("complaint_opened", "complaint_closed", "complaint_sla_breached"):
            self.assertTrue(Event._get_by_code(code))
        rule = self.env.ref("crm_complaints.rule_complaint_at_risk")
        self.assertEqual(rule.stage_id, self.env.ref("crm_lifecycle.stage_at_risk"))

    def test_open_and_close_are_interactions(self):
        complaint = self._create_complaint(
            partner_id=self.contact_a.id, user_id=self.user_agent.id, channel="email"
        )
        opened = self._interactions(complaint, "complaint")
        self.assertEqual(len(opened), 1)
        self.assertEqual(opened.partner_id, self.customer_a)
        self.assertEqual(opened.contact_id, self.contact_a)
        self.assertEqual(opened.direction, "inbound")
        self.assertEqual(opened.channel, "email")
        self.assertEqual(opened.user_id, self.user_agent)
        self.assertIn(complaint.name, opened.name)
        self.assertFalse(self._interactions(complaint, "complaint_closed"))
        complaint.action_close()
        closed = self._interactions(complaint, "complaint_closed")
        self.assertEqual(len(closed), 1)
        self.assertEqual(closed.direction, "outbound")
        self.assertEqual(closed.date, complaint.date_closed)
        # reopening and closing again logs nothing twice
        complaint.stage_id = self.stage_progress
        complaint.action_close()
        self.assertEqual(len(self._interactions(complaint, "complaint")), 1)
        self.assertEqual(len(self._interactions(complaint, "complaint_closed")), 1)
        # the interactions are in the customer's facts
        self.customer_a.invalidate_recordset()
        self.assertGreaterEqual(self.customer_a.lifecycle_interaction_count, 2)

    def test_events_are_triggered(self):
        """Each event reaches the lifecycle: a rule listening to it moves the
        customer, with the complaint quoted as the reason."""
        stage_lost = self.env.ref("crm_lifecycle.stage_lost")
        rule = self.env["crm.lifecycle.rule"].create(
            {
                "name": "Test: complaint opened",
                "sequence": 1,
                "filter_domain": f"[('id', '=', {self.customer_b.id})]",
                "event_ids": [
                    (6, 0, self.env.ref("crm_complaints.event_complaint_opened").ids)
                ],
                "stage_id": stage_lost.id,
                "allow_backward": True,
            }
        )
        complaint = self._create_complaint(partner_id=self.customer_b.id)
        self.assertEqual(self.customer_b.lifecycle_stage_id, stage_lost)
        history = self._history(self.customer_b)[:1]
        self.assertEqual(history.rule_id, rule)
        self.assertIn(complaint.name, history.reason_display)

    def test_breached_high_priority_moves_customer_at_risk(self):
        at_risk = self.env.ref("crm_lifecycle.stage_at_risk")
        self.assertNotEqual(self.customer_a.lifecycle_stage_id, at_risk)
        with freeze_time(FRIDAY_AFTERNOON):
            normal = self._create_complaint(user_id=self.user_agent.id)
            urgent = self._create_complaint(
                user_id=self.user_agent.id, priority="2", partner_id=self.contact_a.id
            )
        self.assertFalse(self.customer_a.complaint_breached_high_priority)
        cron = self.env.ref("crm_complaints.ir_cron_complaint_sla")
        with freeze_time(TUESDAY_LATE):
            with self.enter_registry_test_mode():
                self.assertIs(cron.method_direct_trigger(), True)
        self.env.invalidate_all()
        self.assertEqual(normal.sla_status, "breached")
        self.assertEqual(urgent.sla_status, "breached")
        self.assertTrue(self.customer_a.complaint_breached_high_priority)
        self.assertTrue(self.contact_a.complaint_breached_high_priority)
        self.assertIn(
            self.customer_a,
            self.env["res.partner"].search(
                [("complaint_breached_high_priority", "=", True)]
            ),
        )
        self.assertEqual(self.customer_a.lifecycle_stage_id, at_risk)
        history = self._history(self.customer_a)[:1]
        self.assertEqual(
            history.rule_id, self.env.ref("crm_complaints.rule_complaint_at_risk")
        )
        self.assertIn(urgent.name, history.reason_display)
        # a normal-priority breach alone does not: customer B
        with freeze_time(FRIDAY_AFTERNOON):
            other = self._create_complaint(partner_id=self.customer_b.id)
        with freeze_time(TUESDAY_LATE):
            other._sla_refresh_status()
            other._sla_escalate()
        self.assertEqual(other.sla_status, "breached")
        self.assertNotEqual(self.customer_b.lifecycle_stage_id, at_risk)
        # once the urgent complaint is closed, the customer is no longer held
        urgent.action_close()
        self.customer_a.invalidate_recordset()
        self.assertFalse(self.customer_a.complaint_breached_high_priority)
        self.assertNotIn(
            self.customer_a,
            self.env["res.partner"].search(
                [("complaint_breached_high_priority", "=", True)]
            ),
        )

    def test_event_reads_a_breached_complaint_in_its_facts_round_trip(self):
        """The rule moving a customer with a breached high-priority complaint
        to at risk is evaluated on every event of the customer (an order
        confirmed, an invoice posted): the event reads whether it has one in
        the round trip of its facts, not by a query of the field's compute,
        and reads it again on each event (a complaint breached since)."""
        at_risk = self.env.ref("crm_lifecycle.stage_at_risk")
        Partner = self.registry["res.partner"]
        compute = Partner._compute_complaint_breached_high_priority
        with patch.object(
            Partner,
            "_compute_complaint_breached_high_priority",
            side_effect=compute,
            autospec=True,
        ) as computed:
            self._create_confirmed_order(self.customer_a)
            self.assertFalse(computed.called)
            self.assertFalse(self.customer_a.complaint_breached_high_priority)
            self.assertNotEqual(self.customer_a.lifecycle_stage_id, at_risk)
            urgent = self._create_complaint(priority="2")
            self.env.cr.execute(
                "UPDATE crm_complaint SET sla_status = 'breached' WHERE id = %s",
                [urgent.id],
            )
            self._create_confirmed_order(self.customer_a)
            self.assertFalse(computed.called)
        self.assertTrue(self.customer_a.complaint_breached_high_priority)
        self.assertEqual(self.customer_a.lifecycle_stage_id, at_risk)

    def test_disputed_amount_in_collections_facts(self):
        """The disputed invoice leaves the overdue amount of the customer for its
        disputed amount (crm_lifecycle's collections), and comes back."""
        invoice = self.invoice_a
        self.customer_a._lifecycle_refresh_facts()
        self.assertFalse(self.customer_a.lifecycle_disputed_amount)
        complaint = self._create_complaint(invoice_id=invoice.id)
        self.assertEqual(
            self.customer_a.lifecycle_disputed_amount, invoice.amount_residual
        )
        complaint.action_close()
        self.assertFalse(self.customer_a.lifecycle_disputed_amount)

    def test_customer_summary(self):
        self.assertNotIn("open complaint", str(self.customer_a.lifecycle_summary_html))
        with freeze_time(FRIDAY_AFTERNOON):
            complaint = self._create_complaint()
        self._create_complaint()
        with freeze_time(TUESDAY_LATE):
            complaint._sla_refresh_status()
        self.customer_a.invalidate_recordset(["lifecycle_summary_html"])
        summary = str(self.customer_a.lifecycle_summary_html)
        self.assertIn("2 open complaint(s)", summary)
        self.assertIn("1 late", summary)
        # the same summary on the customer's documents
        self.assertIn("open complaint", str(self.order_a.lifecycle_customer_summary))
