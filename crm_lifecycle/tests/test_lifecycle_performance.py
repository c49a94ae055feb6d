# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecyclePerformance(LifecycleCommon):
    def _customers_with_orders(self, count, label="Perf customer"):
        partners = super()._customers_with_orders(count, label)
        self.env["crm.interaction"].create(
            [{"name": "Call", "partner_id": partner.id} for partner in partners]
        )
        return partners

    def _count_queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - start

    def test_facts_for_200_partners_in_constant_queries(self):
        few = self._customers_with_orders(10)
        many = self._customers_with_orders(200)
        self.assertTrue(all(p.lifecycle_order_count == 1 for p in many))
        self.assertEqual(set(many.mapped("lifecycle_stage_id.code")), {"new_customer"})

        reads = [
            self._count_queries(partners._lifecycle_refresh_facts)
            for partners in (few, many)
        ]
        self.assertEqual(reads[0], reads[1], "facts must not query per partner")
        self.assertLessEqual(reads[1], 12)
        # including the write-back (the ORM updates by batches of 100 rows)
        with self.assertQueryCount(14):
            many._lifecycle_refresh_facts()
        # the order (logged automatically) and the call
        self.assertEqual(many[0].lifecycle_interaction_count, 2)

    def test_rules_for_200_partners_in_constant_queries(self):
        # beyond a few customers, all the rules match in one SQL query
        few = self._customers_with_orders(60)
        many = self._customers_with_orders(200)
        counts = [
            self._count_queries(partners._lifecycle_apply_rules)
            for partners in (few, many)
        ]
        self.assertEqual(counts[0], counts[1], "no move: rules only match, once")
        # for the customers of an event, in Python on the cached values: no
        # query per customer either (rules of other addons may use a sub-query)
        python_counts = []
        for partners in (many[:3], many[:30]):
            self.env.invalidate_all()
            partners.mapped("lifecycle_stage_id.sequence")  # what an event has in cache
            partners.mapped("commercial_partner_id.lifecycle_order_count")
            python_counts.append(self._count_queries(partners._lifecycle_apply_rules))
        self.assertEqual(python_counts[0], python_counts[1])

    def test_summary_for_200_customers_in_constant_queries(self):
        few = self._customers_with_orders(10)
        many = self._customers_with_orders(200)
        # warm the template cache
        few[:1].mapped("lifecycle_summary_html")
        counts = [
            self._count_queries(lambda p=partners: p.mapped("lifecycle_summary_html"))
            for partners in (few, many)
        ]
        self.assertEqual(
            counts[0], counts[1], "the summary must not query per customer"
        )
        self.assertIn("New customer", many[-1].lifecycle_summary_html)

    def _nightly(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        self.env.flush_all()
        start = self.cr.sql_log_count
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        return self.cr.sql_log_count - start

    def test_nightly_batch_compares_stored_facts_in_one_query(self):
        """A batch of the nightly job larger than an event reads the stored
        facts with one query: it still rewrites exactly the facts that are
        wrong, and marks every customer checked without res.partner's write
        (no tracking, no sync to the contacts)."""
        partners = self._customers_with_orders(210)
        self._nightly()  # every fact right, every customer checked today
        today = fields.Date.context_today(self.env.user)
        self.assertEqual(set(partners.mapped("lifecycle_facts_date")), {today})
        wrong, right = partners[:3], partners[3:]
        self.env.cr.execute(
            # the company's value of the company-dependent fact
            "UPDATE res_partner SET lifecycle_order_count ="
            " jsonb_build_object(%s::text, 7) WHERE id = ANY(%s)",
            [self.env.company.id, wrong.ids],
        )
        Check = self.env["crm.lifecycle.facts.check"]
        Check._mark(wrong.ids, False)
        Check._mark(right.ids, today - timedelta(days=1))
        messages = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        self.env.invalidate_all()
        self._nightly()
        self.assertEqual(set(partners.mapped("lifecycle_order_count")), {1})
        self.assertEqual(set(partners.mapped("lifecycle_facts_date")), {today})
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ),
            messages,
        )

    def test_document_event_costs_two_queries(self):
        """The lifecycle work of one document (an order confirmed, a delivery,
        an invoice...) on every request: the interaction logged by one
        insert skipping a document already logged, then the event in one round trip (the
        customer's row lock and every fact group it changes), and the UPDATE
        of the facts that changed. Nothing per rule or per fact group."""
        customer = self.customer
        customer.lifecycle_locked = True  # no rule to evaluate: the event only
        order = self._order(confirm=False)
        order.with_context(lifecycle_disable=True).action_confirm()
        self.assertEqual(customer.lifecycle_order_count, 0, "no event yet")
        interactions = self.env["crm.interaction"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(len(interactions), 1, "the order is logged all the same")
        # a second document logged: one insert, the duplicates skipped by it
        self.env.flush_all()
        with self.assertQueryCount(1):
            logged = self.env["crm.interaction"]._log_documents(order, "quotation")
        self.assertEqual(len(logged), 1)
        with self.assertQueryCount(1):
            self.assertFalse(
                self.env["crm.interaction"]._log_documents(order, "quotation")
            )
        # the event: locks and facts (sales and interactions) in one query,
        # then the UPDATE of the facts that changed (the rules and events,
        # read once for every transaction, are in the registry's cache)
        Rule = self.env["crm.lifecycle.rule"]
        Rule._get_rules_data("order_confirmed", listening=True)
        Rule._get_used_facts("order_confirmed")
        with self.assertQueryCount(2):
            customer._lifecycle_trigger_event("order_confirmed", records=order)
        self.assertEqual(customer.lifecycle_order_count, 1)
        self.assertEqual(customer.lifecycle_interaction_count, 2)
        # nothing changed: the locks and the facts only
        with self.assertQueryCount(1):
            customer._lifecycle_trigger_event("order_confirmed", records=order)

    def test_reconciliation_reads_the_receivables_in_one_query(self):
        """A payment registered reconciles it with the invoice: the customer's
        receivable facts are read again in one query (receivables and days to
        pay), not every fact group."""
        invoice = self._invoice(self._order())
        customer = self.customer
        self.assertEqual(customer.lifecycle_receivable_amount, 100.0)
        # crm_lifecycle's groups reading journal items (an addon may add its
        # own, e.g. the dunning level of credit control); never the others
        reading = set(customer._lifecycle_fact_groups_reading(["account.move.line"]))
        self.assertLessEqual({"receivables", "days_to_pay"}, reading)
        self.assertFalse(
            reading & {"sales", "invoices", "payments", "leads", "interactions"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET lifecycle_receivable_amount ="
            " jsonb_build_object(%s::text, 0) WHERE id = %s",
            [self.env.company.id, customer.id],
        )
        customer.invalidate_recordset(["lifecycle_receivable_amount"])
        # the facts; the stored value to compare with; the UPDATE
        with self.assertQueryCount(3):
            customer._lifecycle_refresh_reconciled_facts()
        self.assertEqual(customer.lifecycle_receivable_amount, 100.0)
        self._pay(invoice)
        self.assertEqual(customer.lifecycle_receivable_amount, 0.0)
        self.assertEqual(customer.lifecycle_avg_days_to_pay, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
