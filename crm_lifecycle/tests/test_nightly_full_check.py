# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The nightly job re-reads every night the facts that move with the date
(overdue items, the last 12 months); those only documents change (orders,
invoices, payments, opportunities), for the customers whose documents were
written since their last check, and for each customer once every
``crm_lifecycle.full_check_days`` nights (issue 19, item 2)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.facts import FactGroup

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestNightlyFullCheck(LifecycleCommon):
    def setUp(self):
        super().setUp()
        self.today = fields.Date.context_today(self.env.user)
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_lifecycle.full_check_days", "7"
        )

    def _nightly(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
        self.env.flush_all()
        with (
            self.enter_registry_test_mode(),
            self.assertLogs("odoo.sql_db", "DEBUG") as queries,
        ):
            cron.method_direct_trigger()
        self.env.invalidate_all()
        return queries.output

    def _as_yesterday(self, partners):
        """The next night: the customers checked yesterday, fully too, their
        documents (and every other) written before."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "UPDATE crm_lifecycle_facts_check"
            "   SET date = date - 1, full_date = full_date - 1"
            " WHERE partner_id = ANY(%s)",
            [partners.ids],
        )
        old = fields.Datetime.now() - timedelta(days=3)
        # every source of the groups only documents change, those of the
        # other addons installed too (a dunning level of credit control)
        groups = self.env["res.partner"]._lifecycle_fact_groups().values()
        sources = {
            model for group in groups if not group.dated for model, _f in group.sources
        }
        for model_name in sorted(sources):
            cr.execute(
                SQL(
                    "UPDATE %s SET write_date = %s",
                    SQL.identifier(self.env[model_name]._table),
                    old,
                )
            )
        self.env.invalidate_all()

    def _night_of(self, partner):
        """Whether tonight is the customer's night of the full check (7)."""
        return (partner.id + self.today.toordinal()) % 7 == 0

    def _cancel_in_sql(self, partner):
        """Cancel the customer's orders without writing them (as an import
        in SQL would): no write date tells."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET state = 'cancel', write_date = %s"
            " WHERE partner_id = %s",
            [fields.Datetime.now() - timedelta(days=30), partner.id],
        )
        self.env.invalidate_all()

    def test_written_documents_tonight_the_rest_on_their_night(self):
        partners = self._customers_with_orders(16, "Full check")
        self._nightly()
        Check = self.env["crm.lifecycle.facts.check"]
        checks = Check.search([("partner_id", "in", partners.ids)])
        self.assertEqual(set(checks.mapped("full_date")), {self.today})
        self.assertEqual(set(partners.mapped("lifecycle_order_count")), {1})

        not_tonight = partners.filtered(lambda p: not self._night_of(p))
        tonight = partners.filtered(self._night_of)
        self.assertTrue(tonight, "16 customers in a row: some on tonight")
        cancelled, stale, never = not_tonight[:3]
        self._as_yesterday(partners)
        # cancelled through Odoo: its order is written
        self.env["sale.order"].search(
            [("partner_id", "=", cancelled.id)]
        )._action_cancel()
        # cancelled in SQL: no document tells; on tonight's full check or not
        self._cancel_in_sql(stale)
        self._cancel_in_sql(tonight[0])
        self._cancel_in_sql(never)
        # a row from before the full checks (an upgraded database): never fully
        self.env.cr.execute(
            "UPDATE crm_lifecycle_facts_check SET full_date = NULL"
            " WHERE partner_id = %s",
            [never.id],
        )
        self._nightly()

        self.assertEqual(cancelled.lifecycle_order_count, 0, "order written")
        self.assertEqual(tonight[0].lifecycle_order_count, 0, "its full check")
        self.assertEqual(never.lifecycle_order_count, 0, "never fully checked")
        self.assertEqual(stale.lifecycle_order_count, 1, "until its night")
        self.assertEqual(set(partners.mapped("lifecycle_facts_date")), {self.today})
        full = {
            check.partner_id: check.full_date
            for check in Check.search([("partner_id", "in", partners.ids)])
        }
        yesterday = self.today - timedelta(days=1)
        self.assertEqual(full[stale], yesterday)
        for partner in cancelled | never | tonight:
            self.assertEqual(full[partner], self.today, partner.name)

        # every night for each customer again: nothing waits
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_lifecycle.full_check_days", "1"
        )
        self._as_yesterday(partners)
        self._nightly()
        self.assertEqual(stale.lifecycle_order_count, 0)

    def test_full_check_when_its_night_was_missed(self):
        """A customer whose night of the full check passed without the job
        (the server was down) gets it the next night."""
        partners = self._customers_with_orders(8, "Missed night")
        self._nightly()
        late = partners.filtered(lambda p: not self._night_of(p))[0]
        self._as_yesterday(partners)
        self._cancel_in_sql(late)
        self.env.cr.execute(
            "UPDATE crm_lifecycle_facts_check SET full_date = %s WHERE partner_id = %s",
            [self.today - timedelta(days=7), late.id],
        )
        self._nightly()
        self.assertEqual(late.lifecycle_order_count, 0)

    def test_dated_facts_every_night_for_everyone(self):
        """An invoice falls due with nothing written: its customer's amount
        overdue moves that night, off its night of the full check."""
        partner = self._customers_with_orders(8, "Falls due").filtered(
            lambda p: not self._night_of(p)
        )[0]
        order = self.env["sale.order"].search([("partner_id", "=", partner.id)])
        invoice = self._invoice(order)
        self._nightly()
        self.assertEqual(partner.lifecycle_overdue_amount, 0.0)
        self._as_yesterday(partner)
        self.env.cr.execute(
            "UPDATE account_move_line SET date_maturity = %s, write_date = %s"
            " WHERE move_id = %s",
            [
                self.today - timedelta(days=3),
                fields.Datetime.now() - timedelta(days=30),
                invoice.id,
            ],
        )
        self._nightly()
        self.assertEqual(partner.lifecycle_overdue_amount, invoice.amount_total)
        self.assertEqual(partner.lifecycle_overdue_days, 3)

    def test_quiet_night_reads_no_order_of_anyone(self):
        """On a night with no document written and no customer on its night,
        the job does not read the orders, invoices, payments nor
        opportunities: the scan of what was written aside, the queries of
        those fact groups do not run."""
        partners = self._customers_with_orders(6, "Quiet").filtered(
            lambda p: not self._night_of(p)
        )
        self._nightly()
        self._as_yesterday(partners)
        # the other customers of the database are checked today
        self.env["crm.lifecycle.facts.check"]._mark(
            self.env["res.partner"].search([("id", "not in", partners.ids)]).ids,
            self.today,
        )
        queries = self._nightly()

        def ran(text):
            return any(text in query for query in queries)

        self.assertTrue(ran("lifecycle_facts_check"))
        self.assertTrue(ran("date_maturity"), "receivables read every night")
        self.assertFalse(ran("so.date_order"), "orders")
        self.assertFalse(ran("move.amount_untaxed_signed"), "invoices")
        self.assertEqual(set(partners.mapped("lifecycle_facts_date")), {self.today})

    @staticmethod
    def _source_group(model, fname):
        """A fact group reading only ``fname`` of ``model`` (its source)."""
        return FactGroup(
            name=f"test_{model}",
            fields=(),
            columns=(),
            sources=((model, (fname,)),),
            query=None,
            collect=None,
        )

    def test_written_customers_by_source(self):
        """A document written since the day counts for its commercial
        partner (an order of a contact: its company); a source that is
        nobody's document (a currency here), once written, for everyone."""
        Partner = self.env["res.partner"]
        order = self._order(partner=self.contact, confirm=False)
        self.env.flush_all()
        since = self.today - timedelta(days=1)
        orders = self._source_group("sale.order", "partner_id")
        self.assertIn(
            self.customer.id, Partner._lifecycle_written_customers([orders], since)
        )
        self.assertNotIn(
            self.customer.id,
            Partner._lifecycle_written_customers(
                [orders], self.today + timedelta(days=1)
            ),
        )
        rates = self._source_group("res.currency", "rounding")
        self.env.cr.execute(
            "UPDATE res_currency SET write_date = %s",
            [fields.Datetime.now() - timedelta(days=5)],
        )
        written = Partner._lifecycle_written_customers([orders, rates], since)
        self.assertIn(self.customer.id, written, "no currency written since")
        order.currency_id.write({"full_name": order.currency_id.full_name})
        self.env.flush_all()
        self.assertIsNone(Partner._lifecycle_written_customers([orders, rates], since))

    def test_bad_number_of_nights_falls_back_to_a_week(self):
        Partner = self.env["res.partner"]
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("crm_lifecycle.full_check_days", "3")
        self.assertEqual(Partner._lifecycle_full_check_days(), 3)
        for value in ("0", "-2", "weekly"):
            param.set_param("crm_lifecycle.full_check_days", value)
            with self.assertLogs("odoo.addons.crm_lifecycle", "WARNING") as logs:
                self.assertEqual(Partner._lifecycle_full_check_days(), 7)
            self.assertIn("full_check_days", logs.output[0])
