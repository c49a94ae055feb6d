# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import watch_field
from odoo.addons.crm_segmentation.models.crm_segment_history import (
    CrmSegmentHistory,
)

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestSegmentEntryActions(SegmentationCommon):
    """Customers entering a segment cell (placed by the SQL recompute or by
    hand) run the cell's actions on entering and the automation rules on the
    memberships, once per entry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            "seg_entry_salesman",
            groups="sales_team.group_sale_salesman",
            email="seg.salesman@example.com",
        )
        cls.region = cls._rule_dimension(
            "Region",
            [
                ("Spain", "[('country_id.code', '=', 'ES')]"),
                ("France", "[('country_id.code', '=', 'FR')]"),
            ],
        )
        cls.kind = cls._rule_dimension(
            "Kind", [("Company", "[('is_company', '=', True)]")]
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "Region x kind",
                "row_dimension_id": cls.region.id,
                "col_dimension_id": cls.kind.id,
            }
        )
        cls.matrix.action_generate_cells()
        company = cls.kind.level_ids.filtered(lambda lv: lv.name == "Company")
        cls.cell_spain = cls.matrix.cell_ids.filtered(
            lambda c: c.row_level_id.name == "Spain" and c.col_level_id == company
        )
        cls.cell_france = cls.matrix.cell_ids.filtered(
            lambda c: c.row_level_id.name == "France" and c.col_level_id == company
        )
        cls.Action = cls.env["crm.lifecycle.entry.action"]
        cls.call = cls.env.ref("mail.mail_activity_data_call")

    def _buyers(self, count, country="base.es", start=0, **values):
        partners = self._customers(
            [f"Buyer {start + i}" for i in range(count)],
            country_id=self.env.ref(country).id,
            user_id=self.salesman.id,
            **values,
        )
        self._invoices([(partner, 5, 100.0) for partner in partners])
        return partners

    def _call_action(self, cell=None):
        return self.Action.create(
            {
                "name": "Call the new Spanish customers",
                "cell_id": (cell or self.cell_spain).id,
                "action_type": "activity",
                "activity_type_id": self.call.id,
            }
        )

    def _logs(self, action):
        return self.env["crm.lifecycle.entry.action.log"].search(
            [("action_id", "=", action.id)]
        )

    def test_recompute_runs_the_cell_actions_once(self):
        action = self._call_action()
        spanish = self._buyers(3)
        french = self._buyers(2, country="base.fr", start=10)
        self.matrix._recompute()
        self.assertEqual(len(spanish.activity_ids), 3)
        self.assertEqual(spanish.activity_ids.user_id, self.salesman)
        self.assertFalse(french.activity_ids)
        self.assertEqual(action.done_count, 3)
        self.assertEqual(action.company_id, self.matrix.company_id)
        # a re-run of the placement, of the nightly job: nothing new
        self.matrix._recompute()
        self.matrix.date_recompute = False
        with self.enter_registry_test_mode():
            self.env.ref(
                "crm_segmentation.ir_cron_segmentation_nightly"
            ).method_direct_trigger()
        self.assertEqual(len(spanish.activity_ids), 3)
        self.assertEqual(len(self._logs(action)), 3)
        # a French customer moving to Spain enters the cell
        french[0].country_id = self.env.ref("base.es")
        self.matrix._recompute()
        self.assertEqual(len(french[0].activity_ids), 1)
        self.assertEqual(action.done_count, 4)

    def test_a_move_by_hand_enters_the_cell(self):
        action = self._call_action(self.cell_france)
        spanish = self._buyers(2)
        self.matrix._recompute()
        self.assertFalse(spanish.activity_ids)
        self._membership(self.matrix, spanish[0]).cell_id = self.cell_france
        self.assertEqual(len(spanish[0].activity_ids), 1)
        self.assertEqual(action.done_count, 1)

    def test_failures_are_reported_and_the_others_go_through(self):
        template = self.env.ref("crm_lifecycle.mail_template_entry_welcome")
        action = self.Action.create(
            {
                "name": "Welcome",
                "cell_id": self.cell_spain.id,
                "action_type": "mail",
                "mail_template_id": template.id,
            }
        )
        with_email = self._buyers(2, email="buyer@example.com")
        without = self._buyers(1, start=5)
        self.matrix._recompute()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", (with_email | without).ids),
            ]
        )
        self.assertEqual(mails.recipient_ids, with_email)
        self.assertEqual(action.failed_count, 1)
        self.assertIn("no e-mail address", action.last_error)

    def test_hook_called_once_with_every_entry(self):
        """``crm.segment.history._segment_entered``, the method integrators
        extend, gets every customer placed by a recompute in one call."""
        self._buyers(4)
        self._buyers(3, country="base.fr", start=10)
        calls = []
        original = CrmSegmentHistory._segment_entered

        def spy(entries):
            calls.append(entries)
            return original(entries)

        with patch.object(CrmSegmentHistory, "_segment_entered", spy):
            self.matrix._recompute()
        self.assertEqual(len(calls), 1)
        self.assertEqual(len(calls[0]), 7)
        self.assertEqual(calls[0].cell_to_id, self.cell_spain | self.cell_france)

    def test_automation_rule_on_the_membership(self):
        """An Odoo automation rule on memberships watching the segment fires
        for customers placed by the recompute (written by SQL) as for a move
        by hand, once each."""
        watch_field(
            self.env,
            "crm.segment.membership",
            "cell_id",
            "for rec in records:\n"
            "    rec.partner_id.write({'ref': (rec.partner_id.ref or '') + 'IN'})",
            filter_domain=f"[('cell_id', '=', {self.cell_spain.id})]",
        )
        spanish = self._buyers(2)
        french = self._buyers(1, country="base.fr", start=10)
        self.matrix._recompute()
        self.assertEqual(spanish.mapped("ref"), ["IN", "IN"])
        self.assertFalse(french.ref)
        self.matrix._recompute()
        self.assertEqual(spanish.mapped("ref"), ["IN", "IN"])
        self._membership(self.matrix, french).cell_id = self.cell_spain
        self.assertEqual(french.ref, "IN")

    def test_queries_do_not_grow_with_the_customers_entering(self):
        self._call_action()
        self.Action.create(
            {
                "name": "Welcome",
                "cell_id": self.cell_spain.id,
                "action_type": "mail",
                "mail_template_id": self.env.ref(
                    "crm_lifecycle.mail_template_entry_welcome"
                ).id,
            }
        )

        def run(count, start):
            partners = self._buyers(count, email="b@example.com", start=start)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.matrix._recompute()
            self.env.flush_all()
            self.assertEqual(len(partners.activity_ids), count)
            return self.cr.sql_log_count - before

        run(2, 900)  # warm the caches (the first placement, the first mails)
        run(2, 950)
        few = run(5, 100)
        many = run(60, 200)  # more than Odoo's chunk of 50 e-mails
        self.assertEqual(few, many, "the actions must not query per customer")
        self._buyers(70, email="c@example.com", start=300)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(many):
            self.matrix._recompute()
            self.env.flush_all()
