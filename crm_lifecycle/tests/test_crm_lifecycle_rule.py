# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestCrmLifecycleRule(LifecycleCommon):
    def _rule(self, **values):
        return self.env["crm.lifecycle.rule"].create(
            {"name": "Test rule", "stage_id": self.stages["captive"].id, **values}
        )

    def test_invalid_domain_refused_at_save(self):
        for domain in (
            "[('no_such_field', '=', 1)]",
            "[('lifecycle_order_count', 'like like', 1)]",
            "this is not python",
            "{'a': 1}",
            "__import__('os').system('true')",
        ):
            with self.subTest(domain=domain), self.assertRaises(ValidationError):
                self._rule(filter_domain=domain)
        rule = self._rule(filter_domain="[('lifecycle_order_count', '>', 3)]")
        with self.assertRaises(ValidationError):
            rule.filter_domain = "[('lifecycle_order_count', '>')]"
        self.assertEqual(rule.filter_domain, "[('lifecycle_order_count', '>', 3)]")

    def test_time_expressions_in_domains(self):
        rule = self._rule(
            filter_domain="[('lifecycle_last_sale_date', '>=', "
            "(context_today() - relativedelta(days=30)).strftime('%Y-%m-%d'))]",
            sequence=1,
            allow_backward=True,
        )
        self._order()
        self.assertStage(self.customer, "captive")
        self.assertEqual(rule.move_count, 1)

    def test_rules_are_matched_in_one_query(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(60)]
        )
        rules = self.env["crm.lifecycle.rule"]._get_rules_data()
        self.assertGreater(len(rules), 5)
        self.env.flush_all()
        self.env.cr.flush()
        # one query, plus reading the currency the monetary condition rounds with
        with self.assertQueryCount(2, flush=False):
            matches = self.env["crm.lifecycle.rule"]._match_partners(rules, partners)
        self.assertEqual(set(matches), set(partners.ids))
        self.assertTrue(all(len(row) == len(rules) for row in matches.values()))

    def test_rule_company_scope(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self._rule(
            filter_domain="[('lifecycle_order_count', '>', 0)]",
            sequence=1,
            allow_backward=True,
            company_id=other_company.id,
        )
        self._order()
        # the rule of another company does not apply to this company's customer
        self.customer.company_id = self.env.company
        self.customer.action_lifecycle_refresh()
        self.assertStage(self.customer, "new_customer")

    def test_stage_in_use_cannot_be_deleted(self):
        self._order()
        stage = self.stages["new_customer"]
        with self.assertRaises(UserError):
            stage.unlink()
        unused = self.env["crm.lifecycle.stage"].create(
            {"name": "Unused", "code": "unused"}
        )
        unused.unlink()
        self.assertFalse(unused.exists())
        # archiving is the way out
        stage.action_archive()
        self.assertFalse(stage.active)

    def test_unknown_event_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            self.customer._lifecycle_trigger_event("no_such_event")

    def test_events_can_be_disabled_by_context(self):
        self.env["crm.lead"].with_context(lifecycle_disable=True).create(
            {"name": "Silent", "partner_id": self.customer.id}
        )
        self.assertFalse(self.customer.lifecycle_stage_id)
