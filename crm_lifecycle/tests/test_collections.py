# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestCollections(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "lc_collector",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.stock_user = new_test_user(
            cls.env, "lc_stock_clerk", groups="base.group_user,stock.group_stock_user"
        )
        cls.today = fields.Date.context_today(cls.env.user)

    def _late_invoice(self, amount=1000.0, days_late=30):
        order = self._order(qty=1, price=amount)
        invoice = order._create_invoices()
        invoice.invoice_date = self.today - timedelta(days=days_late + 30)
        invoice.invoice_date_due = self.today - timedelta(days=days_late)
        invoice.action_post()
        return invoice

    def test_overdue_disputed_and_receivable(self):
        invoice = self._late_invoice(1000.0, days_late=30)
        on_time = self._order(qty=1, price=500.0)
        self._invoice(on_time)  # due today: receivable, not overdue
        customer = self.customer
        self.assertEqual(customer.lifecycle_receivable_amount, 1500.0)
        self.assertEqual(customer.lifecycle_overdue_amount, 1000.0)
        self.assertEqual(customer.lifecycle_overdue_days, 30)

        self._pay(invoice, amount=400.0)
        self.assertEqual(customer.lifecycle_overdue_amount, 600.0)

        # an invoice held out of follow-up (e.g. disputed) leaves the overdue
        invoice.no_followup = True
        self.assertEqual(customer.lifecycle_overdue_amount, 0.0)
        self.assertEqual(customer.lifecycle_disputed_amount, 600.0)
        self.assertEqual(customer.lifecycle_overdue_days, 0)
        invoice.no_followup = False
        self.assertEqual(customer.lifecycle_overdue_amount, 600.0)
        self.assertEqual(customer.lifecycle_disputed_amount, 0.0)

        # the collections list shows it, to an accountant without sales rights
        action = self.env.ref("crm_lifecycle.res_partner_action_collections")
        listed = (
            self.env["res.partner"]
            .with_user(self.accountant)
            .search(
                action._get_action_dict()["domain"]
                and [
                    ("lifecycle_overdue_amount", ">", 0),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )
        self.assertIn(self.customer, listed)
        self.assertNotIn(self.contact, listed)
        listed.with_user(self.accountant).read(
            [
                "lifecycle_stage_id",
                "lifecycle_overdue_amount",
                "lifecycle_overdue_days",
                "lifecycle_disputed_amount",
                "lifecycle_last_collection_date",
            ]
        )

    def test_average_days_to_pay(self):
        order = self._order(qty=1, price=300.0)
        invoice = order._create_invoices()
        invoice.invoice_date = self.today - timedelta(days=20)
        invoice.action_post()
        self._pay(invoice)
        self.assertEqual(invoice.payment_state in ("paid", "in_payment"), True)
        self.assertAlmostEqual(self.customer.lifecycle_avg_days_to_pay, 20.0)

    def test_no_average_days_to_pay_without_recent_paid_invoices(self):
        """Paid only more than 12 months ago: no average of the last 12 months
        to show (hidden in the form, the Collections list and the summary),
        not 0 days; a paid invoice of this year shows it."""
        old = self._late_invoice(400.0, days_late=400)
        self._pay(old)
        self.assertTrue(self.customer.lifecycle_last_payment_date)
        self.assertEqual(self.customer.lifecycle_paid_invoice_count, 0)
        form = Form(self.customer.with_user(self.accountant))
        self.assertTrue(form._get_modifier("lifecycle_avg_days_to_pay", "invisible"))
        self.assertNotIn(
            'name="days_to_pay"',
            str(self.customer.with_user(self.accountant).lifecycle_summary_html),
        )
        recent = self._late_invoice(200.0, days_late=5)
        self._pay(recent)
        self.assertEqual(self.customer.lifecycle_paid_invoice_count, 1)
        self.assertAlmostEqual(self.customer.lifecycle_avg_days_to_pay, 35.0)
        form = Form(self.customer.with_user(self.accountant))
        self.assertFalse(form._get_modifier("lifecycle_avg_days_to_pay", "invisible"))
        self.assertIn(
            'name="days_to_pay"',
            str(self.customer.with_user(self.accountant).lifecycle_summary_html),
        )

    def _log_promise(self, amount, days):
        action = (
            self.customer.with_user(self.accountant)
            .with_context(lifecycle_interaction_type="payment_promise")
            .action_log_interaction()
        )
        with Form(
            self.env["crm.interaction"]
            .with_user(self.accountant)
            .with_context(**action["context"]),
            view="crm_lifecycle.crm_interaction_view_form_quick",
        ) as form:
            form.name = "Promised to pay the overdue invoice"
            form.promise_date = self.today + timedelta(days=days)
            form.promise_amount = amount
        return form.record

    def test_payment_promise_kept(self):
        invoice = self._late_invoice(1000.0)
        promise = self._log_promise(1000.0, days=7)
        self.assertEqual(promise.promise_state, "open")
        self.assertEqual(promise.interaction_type, "payment_promise")
        reminder = self.customer.activity_ids.filtered(
            lambda a: a.date_deadline == promise.promise_date
        )
        self.assertEqual(reminder.user_id, self.accountant)
        self.assertIn("Payment promise due", reminder.summary)
        self.assertEqual(self.customer.lifecycle_last_collection_date, promise.date)
        self._pay(invoice)
        self.assertEqual(promise.promise_state, "kept")
        self.assertEqual(self.customer.lifecycle_broken_promise_count, 0)

    def test_payment_promise_broken_is_visible(self):
        self._late_invoice(1000.0)
        promise = self._log_promise(1000.0, days=3)
        with freeze_time(fields.Datetime.now() + timedelta(days=5)):
            cron = self.env.ref("crm_lifecycle.ir_cron_lifecycle_nightly")
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            self.env.invalidate_all()
            self.assertEqual(promise.promise_state, "broken")
            self.assertEqual(self.customer.lifecycle_broken_promise_count, 1)
            self.assertIn(
                "broken payment promise", self.customer.lifecycle_summary_html
            )

    def test_promise_needs_date_and_amount(self):
        with self.assertRaises(ValidationError):
            self.env["crm.interaction"].create(
                {
                    "name": "Will pay",
                    "partner_id": self.customer.id,
                    "interaction_type": "payment_promise",
                }
            )

    def test_summary_per_department(self):
        self._late_invoice(1000.0)
        self._order()  # a delivery in progress
        summary = {
            user.login: self.customer.with_user(user).lifecycle_summary_html
            for user in (self.salesman, self.accountant, self.stock_user)
        }
        # salespeople see payment behaviour without accounting rights
        self.assertIn("Overdue", summary["lc_salesman"])
        self.assertIn("New customer", summary["lc_salesman"])
        # accountants see the lifecycle without sales rights
        self.assertIn("New customer", summary["lc_collector"])
        self.assertIn("Overdue", summary["lc_collector"])
        # the warehouse sees deliveries, not money
        self.assertIn("2 deliveries in progress", summary["lc_stock_clerk"])
        self.assertNotIn("Overdue", summary["lc_stock_clerk"])
        self.assertNotIn("Receivable", summary["lc_stock_clerk"])
        # the same summary on the customer's documents
        order = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])[
            0
        ]
        self.assertEqual(
            order.with_user(self.salesman).lifecycle_customer_summary,
            summary["lc_salesman"],
        )

    def test_summary_escapes_customer_data(self):
        self.stages["new_customer"].name = "<script>alert(1)</script>New"
        self._order()
        html = str(self.customer.lifecycle_summary_html)
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)

    def test_promise_names_its_invoices_and_shows_its_date(self):
        first = self._late_invoice(1000.0)
        second = self._late_invoice(500.0, days_late=10)
        action = (
            self.customer.with_user(self.accountant)
            .with_context(lifecycle_interaction_type="payment_promise")
            .action_log_interaction()
        )
        with Form(
            self.env["crm.interaction"]
            .with_user(self.accountant)
            .with_context(**action["context"]),
            view="crm_lifecycle.crm_interaction_view_form_quick",
        ) as form:
            form.name = "Will pay both invoices next week"
            form.promise_date = self.today + timedelta(days=7)
            form.promise_invoice_ids.add(first)
            form.promise_invoice_ids.add(second)
            # the amount follows the invoices' open balance
            self.assertEqual(form.promise_amount, 1500.0)
        promise = form.record
        self.assertEqual(promise.promise_invoice_ids, first | second)
        customer = self.customer.with_user(self.accountant)
        self.assertEqual(customer.lifecycle_promise_date, promise.promise_date)
        self.assertIn("Promised to pay by", customer.lifecycle_summary_html)
        # the Collections list has the column
        view = self.env.ref("crm_lifecycle.res_partner_view_list_collections")
        self.assertIn('name="lifecycle_promise_date"', view.arch)
        # one invoice paid: the promise is still open
        self._pay(first)
        self.assertEqual(promise.promise_state, "open")
        self._pay(second)
        self.assertEqual(promise.promise_state, "kept")
        self.assertFalse(self.customer.lifecycle_promise_date)

    def test_no_figures_for_what_never_happened(self):
        """A customer who never bought nor paid shows no days since a purchase
        or to pay: the fields are hidden, not 0; once it bought and paid they
        show."""
        prospect = self.env["res.partner"].create(
            {"name": "Never bought", "is_company": True}
        )
        hidden = ("lifecycle_days_since_purchase", "lifecycle_avg_days_to_pay")
        form = Form(prospect.with_user(self.salesman))
        for fname in hidden:
            self.assertTrue(form._get_modifier(fname, "invisible"), fname)
        invoice = self._late_invoice(300.0)
        self._pay(invoice)
        form = Form(self.customer.with_user(self.salesman))
        for fname in hidden:
            self.assertFalse(form._get_modifier(fname, "invisible"), fname)
        # the best probability is a 0-100 figure, not a 0-1 ratio
        arch = etree.fromstring(
            self.env["res.partner"].get_view(view_type="form")["arch"]
        )
        for node in arch.iterfind(".//field[@name='lifecycle_lead_probability']"):
            self.assertNotEqual(node.get("widget"), "percentage")
