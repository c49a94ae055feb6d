# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours of the lifecycle screens (headless Chromium): the kanban by
stage, a call logged from a phone, a payment promise logged by an accountant."""

from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import BrowserTourCase, LifecycleCommon, MobileTourCase


@tagged("post_install", "-at_install")
class TestLifecycleKanbanTour(LifecycleCommon, BrowserTourCase):
    def test_drag_customer_to_another_stage(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Lifecycle Co",
                "is_company": True,
                "lifecycle_stage_id": self.stages["possible"].id,
            }
        )
        self.assertStage(customer, "possible")
        self.start_tour(
            "/odoo/customer-lifecycle",
            "crm_lifecycle_kanban_tour",
            login=self.salesman.login,
        )
        customer.invalidate_recordset()
        self.assertStage(customer, "new_customer")
        move = customer.lifecycle_history_ids[:1]
        self.assertEqual(move.stage_from_id, self.stages["possible"])
        self.assertEqual(move.stage_to_id, self.stages["new_customer"])
        self.assertEqual(move.trigger, "manual")
        self.assertEqual(move.user_id, self.salesman)


@tagged("post_install", "-at_install")
class TestLifecycleMobileTour(LifecycleCommon, MobileTourCase):
    def test_log_call_on_phone(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Mobile Co",
                "is_company": True,
                "lifecycle_stage_id": self.stages["new_customer"].id,
            }
        )
        self.start_tour(
            f"/odoo/customer-lifecycle/{customer.id}",
            "crm_lifecycle_log_call_mobile_tour",
            login=self.salesman.login,
        )
        call = self.env["crm.interaction"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(call), 1)
        self.assertEqual(call.interaction_type, "call")
        self.assertEqual(call.name, "Called about the spring catalogue")
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(customer.lifecycle_interaction_count_all, 1)


@tagged("post_install", "-at_install")
class TestCollectionsTour(LifecycleCommon, BrowserTourCase):
    def test_accountant_logs_payment_promise(self):
        accountant = new_test_user(
            self.env,
            "lc_tour_accountant",
            groups="base.group_user,account.group_account_invoice",
        )
        self.assertFalse(accountant.has_group("sales_team.group_sale_salesman"))
        self.customer.name = "Tour Overdue Co"
        today = fields.Date.context_today(self.env.user)
        invoice = self._order(qty=1, price=1500.0)._create_invoices()
        invoice.invoice_date = today - timedelta(days=60)
        invoice.invoice_date_due = today - timedelta(days=30)
        invoice.action_post()
        self.assertEqual(self.customer.lifecycle_overdue_amount, 1500.0)

        self.start_tour(
            "/odoo/collections",
            "crm_lifecycle_collections_tour",
            login=accountant.login,
        )
        promise = self.env["crm.interaction"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("interaction_type", "=", "payment_promise"),
            ]
        )
        self.assertEqual(len(promise), 1)
        self.assertEqual(promise.user_id, accountant)
        self.assertEqual(promise.promise_amount, 750.0)
        self.assertEqual(promise.promise_date, today + timedelta(days=7))
        self.assertEqual(promise.promise_state, "open")
        self.assertEqual(self.customer.lifecycle_last_collection_date, promise.date)


@tagged("post_install", "-at_install")
class TestLifecycleBoardMobileTour(LifecycleCommon, MobileTourCase):
    def test_board_opens_on_customers(self):
        """The shipped first stages are empty here: the phone shows the
        stage of the customer, not an empty column."""
        # every other customer (demo data included) in a later stage
        self.env.flush_all()
        # (the stage of the current company: one value per company)
        self.env.cr.execute(
            "UPDATE res_partner SET lifecycle_stage_id = jsonb_build_object(%s, %s)"
            " WHERE lifecycle_stage_id->>%s IS NOT NULL",
            (
                str(self.env.company.id),
                self.stages["lost"].id,
                str(self.env.company.id),
            ),
        )
        self.env.invalidate_all()
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Board Co",
                "is_company": True,
                "lifecycle_stage_id": self.stages["captive"].id,
            }
        )
        self.env["crm.interaction"].create(
            {
                "name": "Visit",
                "partner_id": customer.id,
                "interaction_type": "visit",
                "date": fields.Datetime.now() - timedelta(days=40),
            }
        )
        self.start_tour(
            "/odoo/customer-lifecycle",
            "crm_lifecycle_board_mobile_tour",
            login=self.salesman.login,
        )
