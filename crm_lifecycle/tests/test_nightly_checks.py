# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly job at scale (issue 19, item 2): the day each customer was
checked lives in a narrow table (``crm.lifecycle.facts.check``), not on the
customers' rows; the rules are matched in one pass over a batch; the job's
queries do not grow with the customers of a batch."""

from datetime import timedelta

from odoo import fields
from odoo.fields import Domain
from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestNightlyChecks(LifecycleCommon):
    def _nightly(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        return self.cr.sql_log_count - start

    def _row_versions(self, partners):
        """The physical place of each customer's row: a new version of a row
        (an UPDATE) moves it."""
        self.env.cr.execute(
            "SELECT id, ctid::text FROM res_partner WHERE id = ANY(%s)", [partners.ids]
        )
        return dict(self.env.cr.fetchall())

    def test_checks_are_kept_out_of_the_customers_rows(self):
        partners = self._customers_with_orders(5, "Check customer")
        self._nightly()  # every fact right, every customer checked today
        today = fields.Date.context_today(self.env.user)
        self.assertEqual(set(partners.mapped("lifecycle_facts_date")), {today})
        Check = self.env["crm.lifecycle.facts.check"]
        self.assertEqual(
            Check.search([("partner_id", "in", partners.ids)]).mapped("date"),
            [today] * 5,
        )
        # the next night: nothing changed, the customers' rows are not written
        Check._mark(partners.ids, today - timedelta(days=1))
        self.assertEqual(
            set(partners.mapped("lifecycle_facts_date")), {today - timedelta(days=1)}
        )
        before = self._row_versions(partners)
        self._nightly()
        self.assertEqual(self._row_versions(partners), before)
        self.assertEqual(set(partners.mapped("lifecycle_facts_date")), {today})

    def test_search_on_the_check_date(self):
        partners = self._customers_with_orders(4)
        today = fields.Date.context_today(self.env.user)
        yesterday = today - timedelta(days=1)
        Check = self.env["crm.lifecycle.facts.check"]
        Check._mark(partners[:2].ids, today)
        Check._mark(partners[2:3].ids, yesterday)
        Check._mark(partners[3:].ids, False)
        mine = Domain("id", "in", partners.ids)
        Partner = self.env["res.partner"]
        cases = {
            ("=", False): partners[3:],
            ("!=", False): partners[:3],
            ("=", today): partners[:2],
            ("!=", today): partners[2:],
            ("<", today): partners[2:3],
            (">=", yesterday): partners[:3],
            ("in", (False, yesterday)): partners[2:],
            ("not in", (today,)): partners[2:],
        }
        for (operator, value), expected in cases.items():
            domain = mine & Domain("lifecycle_facts_date", operator, value)
            with self.subTest(operator=operator, value=value):
                self.assertEqual(Partner.search(domain), expected)
                self.assertEqual(partners.filtered_domain(domain), expected)
        # the inverse: a date written by hand lands in the checks
        partners[3].lifecycle_facts_date = yesterday
        self.assertEqual(
            Partner.search(mine & Domain("lifecycle_facts_date", "<", today)),
            partners[2:],
        )
        partners[0].lifecycle_facts_date = False
        self.assertFalse(Check.search([("partner_id", "=", partners[0].id)]))

    def test_nightly_queries_do_not_grow_with_the_batch(self):
        """A batch of the job, whatever its customers: the same queries (the
        facts by groups, the rules in one query, the checks in one upsert)."""
        few = self._customers_with_orders(60, "Few")
        many = self._customers_with_orders(120, "Many")
        Check = self.env["crm.lifecycle.facts.check"]
        counts = []
        everyone = self.env["res.partner"].with_context(active_test=False).search([])
        # the first run warms the caches up (rules, currencies...)
        for partners in (few, few, many):
            # only these customers are due tonight
            Check._mark(everyone.ids, fields.Date.context_today(self.env.user))
            Check._mark(partners.ids, False)
            counts.append(self._nightly())
        self.assertEqual(counts[1], counts[2])
        self.assertEqual(
            set((few | many).mapped("lifecycle_stage_id.code")), {"new_customer"}
        )

    def test_customers_due_searched_once_not_per_batch(self):
        """The job searches the customers due tonight once, then works through
        them by batches (a search per batch read the rows from the last one
        done each time); a customer deleted since the search is skipped."""
        partners = self._customers_with_orders(12, "Batch")
        # a customer placed by hand, without documents (it can be deleted)
        gone = self.env["res.partner"].create(
            {
                "name": "Deleted tonight",
                "is_company": True,
                "lifecycle_stage_id": partners[0].lifecycle_stage_id.id,
            }
        )
        Check = self.env["crm.lifecycle.facts.check"]
        everyone = self.env["res.partner"].with_context(active_test=False).search([])
        today = fields.Date.context_today(self.env.user)
        Check._mark(everyone.ids, today)
        Check._mark((partners | gone).ids, False)
        self.env.flush_all()
        with (
            self.enter_registry_test_mode(),
            self.registry.cursor() as cr,
            self.assertLogs("odoo.sql_db", "DEBUG") as queries,
        ):
            Partner = self.env(cr=cr)["res.partner"]
            due = Partner.search(Partner._lifecycle_cron_domain(today), order="id")
            self.assertEqual(due, (partners | gone).with_env(Partner.env))
            Partner.browse(gone.id).unlink()
            due._lifecycle_nightly_company(today, (0, 1), 5, 0)
        self.env.invalidate_all()
        # the cron domain's condition on the checks, in one search (the test's)
        searches = [line for line in queries.output if "check_.partner_id" in line]
        self.assertEqual(len(searches), 1)
        self.assertEqual(
            set(partners.mapped("lifecycle_facts_date")), {today}, "3 batches"
        )
        self.assertFalse(gone.exists())

    def test_rules_match_in_one_pass_as_in_python(self):
        """The rules matched for many customers (one SELECT, each rule a
        column) decide as the rules matched in Python for a few, including
        conditions through the commercial partner and the stage."""
        partners = self._customers_with_orders(55)
        prospects = self.env["res.partner"].create(
            [{"name": f"Prospect {i}", "is_company": True} for i in range(5)]
        )
        self.env["crm.lead"].create(
            [
                {"name": "Deal", "type": "opportunity", "partner_id": p.id}
                for p in prospects
            ]
        )
        customers = partners | prospects
        archived = partners[:1]
        Rule = self.env["crm.lifecycle.rule"]
        rules = Rule._get_rules_data()
        self.env.flush_all()
        in_sql = Rule._match_partners(rules, customers)
        self.assertGreater(len(customers), Rule._python_match_limit)
        for rule_index, rule in enumerate(rules):
            matched = Rule._filter_partners(rule, customers)
            with self.subTest(rule=rule["id"]):
                self.assertEqual(
                    {pid for pid, row in in_sql.items() if row[rule_index]},
                    set(matched.ids),
                )
        # archived customers match no rule, as in a search
        archived.active = False
        self.env.flush_all()
        in_sql = Rule._match_partners(rules, customers)
        self.assertFalse(any(in_sql[archived.id]))
