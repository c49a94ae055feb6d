# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import (
    LifecycleCommon,
    load_migration,
    reset_lifecycle_day,
    run_nightly_for_company,
    watch_field,
)


@tagged("post_install", "-at_install")
class TestStagePerCompany(LifecycleCommon):
    """A customer shared by two companies (no company of its own) stands where
    it stands with each of them: company A moves it with its rules on its
    orders, company B has its own rule and its own stage; the history, the
    chatter, the kanban columns, the nightly job and the upgrade keep the
    companies apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.env.user.company_ids |= cls.company_b
        cls.salesman.company_ids |= cls.company_b
        # company B's own rule, first of all: its customers are "lost" for it
        cls.rule_b = cls.env["crm.lifecycle.rule"].create(
            {
                "name": "B: everyone lost",
                "sequence": 0,
                "company_id": cls.company_b.id,
                "filter_domain": "[]",
                "stage_id": cls.stages["lost"].id,
                "allow_backward": True,
            }
        )

    def _in(self, company, records=None):
        return (records or self.customer).with_company(company)

    def _order_b(self):
        order = (
            self.env["sale.order"]
            .with_company(self.company_b)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_b.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 100.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def _history(self, company):
        return self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", company.id)],
            order="id",
        )

    def test_each_company_reads_its_own_stage(self):
        self._order()  # company A's order: A's rules
        self.assertStage(self._in(self.company_a), "new_customer")
        self.assertFalse(self._in(self.company_b).lifecycle_stage_id)
        order_b = self._order_b()  # company B's order: B's rule
        self.assertStage(self._in(self.company_b), "lost")
        self.assertStage(self._in(self.company_a), "new_customer", "A's stage kept")
        # the contacts get each company's stage
        self.assertStage(self._in(self.company_a, self.contact), "new_customer")
        self.assertStage(self._in(self.company_b, self.contact), "lost")
        # searched for the current company
        Partner = self.env["res.partner"]
        lost = [("lifecycle_stage_id", "=", self.stages["lost"].id)]
        self.assertIn(self.customer, Partner.with_company(self.company_b).search(lost))
        self.assertNotIn(
            self.customer, Partner.with_company(self.company_a).search(lost)
        )
        # the history of each company: B's move left A's stay open
        history_a, history_b = (
            self._history(self.company_a),
            self._history(self.company_b),
        )
        self.assertEqual(history_a.stage_to_id.mapped("code"), ["new_customer"])
        self.assertFalse(history_a.date_end, "A's customer is still in its stage")
        self.assertEqual(history_b.stage_to_id.mapped("code"), ["lost"])
        self.assertEqual(history_b.rule_id, self.rule_b)
        self.assertEqual(
            (history_b.res_model, history_b.res_id), (order_b._name, order_b.id)
        )
        # each company's time in stage
        durations_b = self._in(self.company_b).duration_tracking
        self.assertEqual(list(durations_b), [str(self.stages["lost"].id)])
        # the chatter says whose stage moved (several companies)
        self.flush_tracking()
        subtype = self.env.ref("crm_lifecycle.mt_partner_lifecycle_stage")
        messages = self.customer.message_ids.filtered(lambda m: m.subtype_id == subtype)
        self.assertTrue(
            any("Company B" in str(message.body) for message in messages), messages
        )

    def test_company_fallback_reaches_the_cached_column_sql(self):
        """The SQL of the company-dependent columns is built once per company
        (``res.partner._company_dependent_sql``): a company's default value
        (``ir.default``) set or removed later is read, fetched and searched at
        once, for that company only."""
        customer = self.customer
        Partner = self.env["res.partner"]
        locked = [("lifecycle_locked", "=", True), ("id", "=", customer.id)]
        for company in (self.company_a, self.company_b):
            self.assertFalse(self._in(company).lifecycle_locked)
            self.assertFalse(Partner.with_company(company).search(locked))
        Default = self.env["ir.default"]
        Default.set(
            "res.partner", "lifecycle_locked", True, company_id=self.company_b.id
        )
        self.env.invalidate_all()
        self.assertTrue(self._in(self.company_b).lifecycle_locked)
        self.assertEqual(Partner.with_company(self.company_b).search(locked), customer)
        self.assertFalse(self._in(self.company_a).lifecycle_locked)
        self.assertFalse(Partner.with_company(self.company_a).search(locked))
        Default.discard_values("res.partner", "lifecycle_locked", [True])
        self.env.invalidate_all()
        self.assertFalse(self._in(self.company_b).lifecycle_locked)
        self.assertFalse(Partner.with_company(self.company_b).search(locked))

    def test_a_move_by_hand_changes_the_current_company_only(self):
        self._order()
        customer_b = self._in(self.company_b).with_user(self.salesman)
        customer_b.lifecycle_stage_id = self.stages["at_risk"]
        customer_b.lifecycle_locked = True
        self.assertStage(self._in(self.company_b), "at_risk")
        self.assertTrue(self._in(self.company_b).lifecycle_locked)
        self.assertTrue(self._in(self.company_b).lifecycle_date_stage)
        self.assertStage(self._in(self.company_a), "new_customer")
        self.assertFalse(self._in(self.company_a).lifecycle_locked)
        move = self._history(self.company_b)
        self.assertEqual(
            (move.trigger, move.user_id, move.stage_to_id.code),
            ("manual", self.salesman, "at_risk"),
        )
        # locked in B: B's rule no longer moves it there; A still moves
        self._order_b()
        self.assertStage(self._in(self.company_b), "at_risk")
        # the history rules: a user of company A only reads A's moves
        user_a = new_test_user(
            self.env,
            login="lc_manager_a",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company_a.id,
            company_ids=self.company_a.ids,
        )
        readable = (
            self.env["crm.lifecycle.history"]
            .with_user(user_a)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(readable.company_id, self.company_a)

    def test_kanban_columns_count_per_company(self):
        others = self._customers_with_orders(2, "Shared")  # orders of company A
        customers = self.customer | others
        self._in(self.company_b, customers).with_context(lifecycle_move=True).write(
            {"lifecycle_stage_id": self.stages["captive"].id}
        )
        self.customer.with_company(self.company_a).lifecycle_stage_id = self.stages[
            "probable"
        ]
        domain = [("id", "in", customers.ids)]

        def columns(company):
            groups = (
                self.env["res.partner"]
                .with_company(company)
                .formatted_read_group(domain, ["lifecycle_stage_id"], ["__count"])
            )
            return {
                group["lifecycle_stage_id"][1]: group["__count"]
                for group in groups
                if group["__count"]
            }

        self.assertEqual(
            columns(self.company_a),
            {
                self.stages["probable"].name: 1,
                self.stages["new_customer"].name: 2,
            },
        )
        self.assertEqual(columns(self.company_b), {self.stages["captive"].name: 3})
        # the empty columns are there too (group_expand)
        groups = (
            self.env["res.partner"]
            .with_company(self.company_b)
            ._read_group(domain, ["lifecycle_stage_id"], ["__count"])
        )
        self.assertEqual(dict(groups)[self.stages["captive"]], 3)

    def test_automation_rule_fires_on_each_company_move(self):
        watch_field(
            self.env,
            "res.partner",
            "lifecycle_stage_id",
            "records.write({'ref': record.lifecycle_stage_id.code})",
        )
        self._order()
        self.assertEqual(self.customer.ref, "new_customer")
        self._order_b()
        self.assertEqual(self.customer.ref, "lost", "B's move, read in B")

    def _nightly(self, company):
        """The nightly job's work for one company."""
        run_nightly_for_company(self, company)

    def _reset(self):
        """Yesterday: no stage in either company, nothing checked today."""
        reset_lifecycle_day(self.env, self.customer, (self.company_a, self.company_b))

    def test_nightly_job_places_each_company_in_either_order(self):
        # a customer of both companies (the job places the customers with a
        # stage or some activity in the company)
        self._order()
        self._order_b()
        for order in (
            (self.company_a, self.company_b),
            (self.company_b, self.company_a),
        ):
            with self.subTest(order=[company.name for company in order]):
                self._reset()
                for company in order:
                    self._nightly(company)
                self.assertStage(self._in(self.company_a), "new_customer")
                self.assertStage(self._in(self.company_b), "lost")
        # the whole job: both companies, each customer once per company
        self._reset()
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertStage(self._in(self.company_a), "new_customer")
        self.assertStage(self._in(self.company_b), "lost")
        for company in (self.company_a, self.company_b):
            self.assertEqual(
                self._in(company).lifecycle_facts_date,
                fields.Date.context_today(self.customer),
            )

    def test_deferred_event_keeps_its_company(self):
        order = self._order_b()
        self._in(self.company_b).with_context(lifecycle_move=True).write(
            {"lifecycle_stage_id": False}
        )
        Pending = self.env["crm.lifecycle.pending"]
        Pending.with_company(self.company_b)._defer(
            self.customer,
            self.env.ref("crm_lifecycle.event_order_confirmed").id,
            order,
        )
        pending = Pending.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(pending.company_id, self.company_b)
        self.env.flush_all()
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            self.env(cr=cr)["crm.lifecycle.pending"]._cron_process()
        self.env.invalidate_all()
        self.assertStage(self._in(self.company_b), "lost")

    def test_upgrade_keeps_the_stage_for_the_main_company(self):
        """A database from before the stage per company: the plain columns
        become company-dependent, the value kept for the main company (the
        customer has no company of its own)."""
        stage = self.stages["high_value"]
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("DROP VIEW IF EXISTS crm_complaint_report")
        for column, kind in (
            ("lifecycle_stage_id", "int4"),
            ("lifecycle_date_stage", "timestamp"),
            ("lifecycle_locked", "bool"),
        ):
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner DROP COLUMN %(c)s;"
                    " ALTER TABLE res_partner ADD COLUMN %(c)s %(k)s",
                    c=SQL.identifier(column),
                    k=SQL(kind),
                )
            )
        cr.execute(
            "UPDATE res_partner SET lifecycle_stage_id = %s,"
            " lifecycle_date_stage = '2025-01-02 03:04:05', lifecycle_locked = TRUE"
            " WHERE id = %s",
            [stage.id, self.customer.id],
        )
        load_migration("crm_lifecycle", "19.0.1.9.0", "pre-migrate").migrate(
            cr, "19.0.1.8.0"
        )
        self.env.invalidate_all()
        stage_fields = [
            "lifecycle_stage_id",
            "lifecycle_date_stage",
            "lifecycle_locked",
        ]
        main = self.env.ref("base.main_company")
        [values] = self._in(main).read(stage_fields)
        self.assertEqual(values["lifecycle_stage_id"][0], stage.id)
        self.assertTrue(values["lifecycle_locked"])
        self.assertEqual(
            values["lifecycle_date_stage"],
            fields.Datetime.to_datetime("2025-01-02 03:04:05"),
        )
        [values] = self._in(self.company_b).read(stage_fields)
        self.assertFalse(values["lifecycle_stage_id"])
        self.assertFalse(values["lifecycle_locked"])

    def test_upgrade_runs_the_nightly_job_for_the_other_companies(self):
        """After the upgrade, the other companies get their stages and facts
        from the nightly job run at once (triggered), not the next night."""
        Trigger = self.env["ir.cron.trigger"]
        crons = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly") | self.env.ref(
            "crm_lifecycle.ir_cron_lifecycle_nightly_2"
        )
        Trigger.search([("cron_id", "in", crons.ids)]).unlink()
        load_migration("crm_lifecycle", "19.0.1.9.0").migrate(self.env.cr, "19.0.1.8.0")
        triggered = Trigger.search([("cron_id", "in", crons.ids)])
        self.assertEqual(triggered.cron_id, crons)
        self.assertTrue(
            all(t.call_at <= fields.Datetime.now() for t in triggered), triggered
        )
