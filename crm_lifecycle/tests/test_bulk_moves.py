# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A nightly batch moving hundreds of customers logs its moves with one
INSERT per table (history, chatter messages, their tracking values) and one
UPDATE closing the stays left, as ``create()`` and ``write()`` would write
them (``create()`` inserts by 100: the queries grew with the customers)."""

from odoo.fields import Command
from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestBulkMoves(LifecycleCommon):
    def _customers(self, count, label):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"{label} {i}",
                    "is_company": True,
                    "lifecycle_stage_id": self.stages["possible"].id,
                }
                for i in range(count)
            ]
        )

    def _move(self, customers):
        stage = self.stages["new_customer"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        customers.with_context(lifecycle_no_activity=True)._lifecycle_move(
            stage, trigger="rule"
        )
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_a_batch_of_moves_is_logged_with_one_insert_per_table(self):
        self._move(self._customers(110, "Warm"))  # caches
        few = self._move(self._customers(120, "Few"))
        customers = self._customers(420, "Many")
        many = self._move(customers)
        # the customers' own rows go through write() (automation rules on the
        # stage fire) but are flushed in one UPDATE (Odoo's flush writes them
        # by 100: 3 more for 300 more customers); Odoo may read the companies
        # once more for the defaults of company-dependent fields (its cache
        # cleared). By 100, the history, messages, tracking values and closed
        # stays would add 12.
        self.assertLessEqual(many, few + 1, f"{few} -> {many}")

        subtype = self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        histories = self.env["crm.lifecycle.history"].search(
            [("partner_id", "in", customers.ids)], order="partner_id, date, id"
        )
        self.assertEqual(len(histories), 840)
        for customer in customers:
            left, entered = histories.filtered(lambda h, c=customer: h.partner_id == c)
            self.assertEqual(left.stage_to_id, self.stages["possible"])
            self.assertEqual(left.date_end, entered.date)
            self.assertAlmostEqual(
                left.duration_days,
                (entered.date - left.date).total_seconds() / 86400,
            )
            self.assertEqual(entered.stage_from_id, self.stages["possible"])
            self.assertEqual(entered.stage_to_kind, self.stages["new_customer"].kind)
            self.assertFalse(entered.date_end)
            self.assertEqual(entered.trigger, "rule")
            message = customer.message_ids.filtered(lambda m: m.subtype_id == subtype)
            self.assertEqual(len(message), 1)
            tracking = message.tracking_value_ids
            self.assertEqual(tracking.field_id.name, "lifecycle_stage_id")
            self.assertEqual(tracking.old_value_integer, self.stages["possible"].id)
            self.assertEqual(tracking.new_value_integer, self.stages["new_customer"].id)
            self.assertEqual(customer.lifecycle_stage_id, self.stages["new_customer"])

    def test_automation_rules_on_new_history_rows_still_run(self):
        """Rows inserted without ``create()`` (which Odoo patches to run the
        automation rules) still run the rules on creation."""
        history_model = self.env["ir.model"]._get("crm.lifecycle.history")
        self.env["base.automation"].create(
            {
                "name": "Entered a stage",
                "model_id": history_model.id,
                "trigger": "on_create",
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Note",
                            "model_id": history_model.id,
                            "state": "code",
                            "code": "records.write({'reason': 'seen'})",
                        }
                    )
                ],
            }
        )
        customers = self._customers(150, "Watched")
        self._move(customers)
        entered = self.env["crm.lifecycle.history"].search(
            [
                ("partner_id", "in", customers.ids),
                ("stage_to_id", "=", self.stages["new_customer"].id),
            ]
        )
        self.assertEqual(len(entered), 150)
        self.assertEqual(set(entered.mapped("reason")), {"seen"})

    def test_a_batch_of_moves_writes_the_rows_as_the_orm(self):
        """The customers' rows of a batch are written by one UPDATE (Odoo's
        flush updates them by 100): the current company's stage and date
        merged into the jsonb, another company's stage kept, the access log
        set; a move of a few customers, written by Odoo, gives the same."""
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.env.user.company_ids |= company_b
        customers = self._customers(130, "Shared")
        few = customers[:3]
        lost = self.stages["lost"]
        customers.with_company(company_b).with_context(lifecycle_move=True).write(
            {"lifecycle_stage_id": lost.id}
        )
        self.env.flush_all()
        stage = self.stages["new_customer"]
        stage_field = self.env["res.partner"]._fields["lifecycle_stage_id"]
        batch = customers - few
        batch.with_context(lifecycle_no_activity=True)._lifecycle_move(stage)
        # written already, in one UPDATE: nothing left for Odoo's flush
        dirty = self.env._field_dirty.get(stage_field, ())
        self.assertFalse(set(batch.ids) & set(dirty))
        few.with_context(lifecycle_no_activity=True)._lifecycle_move(stage)
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT lifecycle_stage_id, lifecycle_date_stage ? %s, write_uid
              FROM res_partner WHERE id = ANY(%s)
            """,
            [str(self.env.company.id), customers.ids],
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(len(rows), 130)
        expected = {str(self.env.company.id): stage.id, str(company_b.id): lost.id}
        for stages, dated, write_uid in rows:
            self.assertEqual(stages, expected)
            self.assertTrue(dated)
            self.assertEqual(write_uid, self.env.uid)
        self.env.invalidate_all()
        self.assertEqual(set(customers.mapped("lifecycle_stage_id")), {stage})
        self.assertEqual(
            set(customers.with_company(company_b).mapped("lifecycle_stage_id")), {lost}
        )
        self.assertEqual(len(set(batch.mapped("lifecycle_date_stage"))), 1)

    def test_a_batch_of_moves_copies_the_stage_to_the_contacts_as_odoo(self):
        """The contacts of a batch get the company's stage in one write after
        the customers' (Odoo writes them customer by customer): the same
        contacts as Odoo's sync, a contact's own contacts included, a branch
        that is a company of its own left alone."""
        stage = self.stages["new_customer"]
        Partner = self.env["res.partner"]
        results = {}
        for count in (2, 120):  # Odoo's write; the bulk path
            customers = self._customers(count, f"Family {count}")
            contact = Partner.create({"name": "Contact", "parent_id": customers[0].id})
            sub = Partner.create({"name": "Assistant", "parent_id": contact.id})
            branch = Partner.create(
                {"name": "Branch", "is_company": True, "parent_id": customers[0].id}
            )
            self._move(customers)
            self.env.invalidate_all()
            results[count] = [
                (
                    p.lifecycle_stage_id,
                    p.lifecycle_date_stage == customers[0].lifecycle_date_stage,
                )
                for p in (contact, sub, branch)
            ]
        self.assertEqual(results[120], results[2])
        self.assertEqual(results[120][:2], [(stage, True), (stage, True)])
        self.assertNotEqual(results[120][2][0], stage)
