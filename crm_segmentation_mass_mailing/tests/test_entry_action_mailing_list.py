# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SegmentMatrixCommon


@tagged("post_install", "-at_install")
class TestEntryActionMailingList(SegmentMatrixCommon):
    """Customers entering a segment or a stage subscribed to a mailing list,
    consent and blacklist respected, in one batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailing_list = cls.env["mailing.list"].create({"name": "Spain"})
        cls.Action = cls.env["crm.lifecycle.entry.action"]

    def _customers(self, emails):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Entry {i}",
                    "is_company": True,
                    "email": email,
                    "country_id": self.env.ref("base.es").id,
                    "lifecycle_stage_id": self.stage.id,
                }
                for i, email in enumerate(emails)
            ]
        )

    def test_segment_entry_subscribes_to_the_list(self):
        action = self.Action.create(
            {
                "name": "Spanish list",
                "cell_id": self.cell.id,
                "action_type": "mailing_list",
                "mailing_list_id": self.mailing_list.id,
            }
        )
        good = self._customers(["a@example.com", "b@example.com"])
        bad = self._customers([False, "black@example.com", "refused@example.com"])
        self.env["mail.blacklist"]._add("black@example.com")
        bad[2].lifecycle_marketing_consent = "refused"
        self.matrix._recompute()
        self.assertEqual(
            set(self.mailing_list.contact_ids.mapped("email_normalized")),
            {"a@example.com", "b@example.com"},
        )
        self.assertEqual(action.done_count, 2)
        self.assertEqual(action.failed_count, 3)
        self.assertIn("blacklisted", action.last_error)
        self.assertIn("no e-mail address", action.last_error)
        # nothing twice: a re-run subscribes no one again
        self.matrix._recompute()
        self.assertEqual(len(self.mailing_list.subscription_ids), 2)
        self.assertEqual(action.done_count + action.failed_count, 5)
        self.assertTrue(good)

    def test_stage_entry_subscribes_to_the_list(self):
        lost = self.env.ref("crm_lifecycle.stage_lost")
        self.Action.create(
            {
                "name": "Lost list",
                "stage_id": lost.id,
                "action_type": "mailing_list",
                "mailing_list_id": self.mailing_list.id,
            }
        )
        customers = self._customers(["x@example.com", "y@example.com"])
        customers._lifecycle_move(lost)
        self.assertEqual(
            set(self.mailing_list.contact_ids.mapped("email_normalized")),
            {"x@example.com", "y@example.com"},
        )

    def test_queries_do_not_grow_with_the_customers_entering(self):
        """The mailing list action subscribes the customers entering a stage in
        one batch, the new mailing contacts and subscriptions inserted with one
        query each (``create()`` inserts by 100): as many queries for 10
        customers as for 250."""
        lost = self.env.ref("crm_lifecycle.stage_lost")
        self.Action.create(
            {
                "name": "Lost list",
                "stage_id": lost.id,
                "action_type": "mailing_list",
                "mailing_list_id": self.mailing_list.id,
            }
        )
        start = 0

        def entries(count):
            nonlocal start
            customers = self._customers(
                [f"q{start + i}@example.com" for i in range(count)]
            )
            start += count
            customers.with_context(lifecycle_no_activity=True)._lifecycle_move(lost)
            history = self.env["crm.lifecycle.history"].search(
                [("partner_id", "in", customers.ids)]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            return customers, history

        def run(count):
            customers, history = entries(count)
            before = self.cr.sql_log_count
            history._lifecycle_entered()
            self.env.flush_all()
            queries = self.cr.sql_log_count - before
            self.assertLessEqual(
                set(customers.mapped("email_normalized")),
                set(self.mailing_list.contact_ids.mapped("email_normalized")),
            )
            return queries

        run(2)  # warm the caches
        few = run(10)
        customers, history = entries(250)
        with self.assertQueryCount(few):
            history._lifecycle_entered()
            self.env.flush_all()
        self.assertEqual(len(self.mailing_list.subscription_ids), 262)
        contacts = self.mailing_list.contact_ids.filtered(
            lambda contact: contact.email_normalized
            in customers.mapped("email_normalized")
        )
        self.assertEqual(len(contacts), 250)
        self.assertEqual(
            sorted(contacts.mapped("name")), sorted(customers.mapped("name"))
        )

    def test_a_list_is_needed(self):
        with self.assertRaises(ValidationError):
            self.Action.create(
                {
                    "name": "No list",
                    "cell_id": self.cell.id,
                    "action_type": "mailing_list",
                }
            )
