# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The first hour of a salesperson and of an accountant in a browser (issue
22): desktop and phone, English and Spanish. The tours assert what a person
reads (numbers that agree on one screen, labels present); the Spanish runs
fail on any English string of our addons on screen (page_text.py)."""

from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import BrowserTourCase, LifecycleCommon, MobileTourCase
from .page_text import PageTextTourMixin


def invoice_in_another_company(env, customer, amount, days_overdue):
    """A second company (with its chart of accounts) that invoiced the same
    customer another amount, due ``days_overdue`` days ago: none of it may
    show in the first company's figures (the tours compare the amounts a
    screen shows)."""
    company = env["res.company"].create({"name": "Tour Second Company"})
    env["account.chart.template"].try_loading("generic_coa", company)
    today = fields.Date.context_today(env.user)
    invoice = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=days_overdue + 30),
                "invoice_date_due": today - timedelta(days=days_overdue),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Office chairs",
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
    )
    invoice.action_post()
    return company, invoice


class SalespersonTourCommon(PageTextTourMixin, LifecycleCommon):
    """A customer who bought (an invoice and a credit note), with an open
    opportunity at 45 %, in the portfolio of a salesperson with "own
    documents only"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_tour_lang()
        cls.seller = new_test_user(
            cls.env,
            "tour_seller",
            name="Sara Seller",
            groups="sales_team.group_sale_salesman",
            lang=cls.lang,
        )
        cls.customer.write({"name": "Tour Acme", "user_id": cls.seller.id})

    def setUp(self):
        super().setUp()
        order = self._order(qty=1, price=1000.0)
        self._deliver(order)
        invoice = self._invoice(order)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Scratched"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.invoice_line_ids.price_unit = 100.0
        credit_note.action_post()
        self._lead(probability=45.0, user_id=self.seller.id)
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 900.0)
        self.assertEqual(self.customer.lifecycle_lead_probability, 45.0)

    def _check_journey(self):
        texts = self.run_reading_tour(
            "/odoo/customer-lifecycle",
            "crm_lifecycle_salesperson_tour",
            login=self.seller.login,
        )
        call = self.env["crm.interaction"].search(
            [("partner_id", "=", self.customer.id), ("interaction_type", "=", "call")]
        )
        self.assertEqual(call.name, "Wants a quotation for the new office")
        self.assertEqual(call.outcome, "follow_up")
        todo = self.customer.activity_ids.filtered(
            lambda a: "Wants a quotation for the new office" in (a.summary or "")
        )
        self.assertEqual(todo.user_id, self.seller)
        return {page["screen"]: page["text"] for page in texts}


@tagged("post_install", "-at_install")
class TestSalespersonTour(SalespersonTourCommon, BrowserTourCase):
    def test_salesperson_journey(self):
        self._check_journey()

    def test_salesperson_journey_with_another_company_invoicing(self):
        """Another company invoiced the same customer: the board, the
        Lifecycle tab and core's Invoiced button still agree on this
        company's amount (figures mixing companies: issues 22 and 23)."""
        company, _invoice = invoice_in_another_company(
            self.env, self.customer, 5000.0, days_overdue=0
        )
        self.assertEqual(
            self.customer.with_company(company).lifecycle_invoiced_amount, 5000.0
        )
        self.assertEqual(self.customer.lifecycle_invoiced_amount, 900.0)
        screens = self._check_journey()
        # the card and the tab (which the tour compared) show this company's
        # amount, not both companies'
        for screen in ("lifecycle board", "customer, Lifecycle tab"):
            self.assertIn("900.00", screens[screen])
            self.assertNotIn("5,900.00", screens[screen])


@tagged("post_install", "-at_install")
class TestSalespersonMobileTour(SalespersonTourCommon, MobileTourCase):
    def test_salesperson_journey_on_phone(self):
        self._check_journey()


@tagged("post_install", "-at_install")
class TestSalespersonTourSpanish(SalespersonTourCommon, BrowserTourCase):
    lang = "es_ES"

    def test_salesperson_journey_in_spanish(self):
        self._check_journey()


@tagged("post_install", "-at_install")
class TestSalespersonMobileTourSpanish(SalespersonTourCommon, MobileTourCase):
    lang = "es_ES"

    def test_salesperson_journey_on_phone_in_spanish(self):
        self._check_journey()


class AccountantTourCommon(PageTextTourMixin, LifecycleCommon):
    """An overdue customer, for an accountant without sales rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_tour_lang()
        cls.accountant = new_test_user(
            cls.env,
            "tour_accountant",
            name="Alba Accountant",
            groups="base.group_user,account.group_account_invoice",
            lang=cls.lang,
        )
        cls.customer.name = "Tour Overdue Co"

    def setUp(self):
        super().setUp()
        today = fields.Date.context_today(self.env.user)
        self.invoice = self._order(qty=1, price=1500.0)._create_invoices()
        self.invoice.invoice_date = today - timedelta(days=60)
        self.invoice.invoice_date_due = today - timedelta(days=30)
        self.invoice.action_post()
        self.assertEqual(self.customer.lifecycle_overdue_amount, 1500.0)

    def _check_journey(self):
        self.run_reading_tour(
            "/odoo/collections",
            "crm_lifecycle_accountant_tour",
            login=self.accountant.login,
        )
        promise = self.env["crm.interaction"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("interaction_type", "=", "payment_promise"),
            ]
        )
        self.assertEqual(promise.user_id, self.accountant)
        self.assertEqual(promise.promise_invoice_ids, self.invoice)
        self.assertEqual(promise.promise_amount, 1500.0)
        self.assertEqual(self.customer.lifecycle_promise_date, promise.promise_date)


@tagged("post_install", "-at_install")
class TestAccountantTour(AccountantTourCommon, BrowserTourCase):
    def test_accountant_journey(self):
        self._check_journey()

    def test_accountant_journey_with_another_company_invoicing(self):
        """Another company has an overdue invoice of the same customer:
        Collections and the customer show this company's receivable and
        overdue, which agree with core's Invoiced button (issues 22 and 23)."""
        company, _invoice = invoice_in_another_company(
            self.env, self.customer, 5000.0, days_overdue=30
        )
        self.assertEqual(
            self.customer.with_company(company).lifecycle_overdue_amount, 5000.0
        )
        self.assertEqual(self.customer.lifecycle_overdue_amount, 1500.0)
        self._check_journey()


@tagged("post_install", "-at_install")
class TestAccountantMobileTour(AccountantTourCommon, MobileTourCase):
    def test_accountant_journey_on_phone(self):
        self._check_journey()


@tagged("post_install", "-at_install")
class TestAccountantTourSpanish(AccountantTourCommon, BrowserTourCase):
    lang = "es_ES"

    def test_accountant_journey_in_spanish(self):
        self._check_journey()


@tagged("post_install", "-at_install")
class TestAccountantMobileTourSpanish(AccountantTourCommon, MobileTourCase):
    lang = "es_ES"

    def test_accountant_journey_on_phone_in_spanish(self):
        self._check_journey()
