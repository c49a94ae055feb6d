# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared data for the complaint tests: real users of each group, two customers
with their portal users, a calendar with a weekend and a public holiday, a team,
SLA policies, and real documents (a confirmed order, its validated delivery and
its posted invoice)."""

from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user

# The calendar works Monday to Friday, 08:00-12:00 and 13:00-17:00 in Madrid
# (UTC+1 in January). Monday 12 January 2026 is a public holiday.
CALENDAR_TZ = "Europe/Madrid"
HOLIDAY_FROM = datetime(2026, 1, 11, 23, 0)  # Monday 12 January, 00:00 Madrid
HOLIDAY_TO = datetime(2026, 1, 12, 22, 59, 59)  # Monday 12 January, 23:59 Madrid
# Friday 9 January 2026, 15:00 in Madrid
FRIDAY_AFTERNOON = datetime(2026, 1, 9, 14, 0)


class ComplaintDataMixin:
    @classmethod
    def _setup_complaint_data(cls):
        env = cls.env
        cls.company = env.company
        cls.company.email = cls.company.email or "info@company.example.com"
        # users of each group
        cls.user_agent = new_test_user(
            env,
            "cmp_agent",
            name="Alice Agent",
            email="alice.agent@company.example.com",
            groups="crm_complaints.group_complaint_user",
        )
        cls.user_agent_other = new_test_user(
            env,
            "cmp_agent_other",
            name="Oscar Other",
            email="oscar.other@company.example.com",
            groups="crm_complaints.group_complaint_user",
        )
        cls.user_leader = new_test_user(
            env,
            "cmp_leader",
            name="Lena Leader",
            email="lena.leader@company.example.com",
            groups="crm_complaints.group_complaint_user",
        )
        cls.user_manager = new_test_user(
            env,
            "cmp_manager",
            name="Max Manager",
            email="max.manager@company.example.com",
            groups="crm_complaints.group_complaint_manager",
        )
        cls.user_salesman = new_test_user(
            env,
            "cmp_salesman",
            name="Sam Salesman",
            email="sam.salesman@company.example.com",
            groups="sales_team.group_sale_salesman",
        )
        cls.user_accountant = new_test_user(
            env,
            "cmp_accountant",
            name="Ada Accountant",
            email="ada.accountant@company.example.com",
            groups="account.group_account_invoice",
        )
        cls.user_stock = new_test_user(
            env,
            "cmp_stock",
            name="Walt Warehouse",
            email="walt.warehouse@company.example.com",
            groups="stock.group_stock_user",
        )
        # customers: A (a company with a contact), B; each with a portal user
        cls.customer_a = env["res.partner"].create(
            {
                "name": "Azure Interior",
                "is_company": True,
                "email": "info@azure.example.com",
                "user_id": cls.user_salesman.id,
            }
        )
        cls.contact_a = env["res.partner"].create(
            {
                "name": "Brandon Freeman",
                "parent_id": cls.customer_a.id,
                "email": "brandon.freeman@azure.example.com",
            }
        )
        cls.customer_b = env["res.partner"].create(
            {
                "name": "Deco Addict",
                "is_company": True,
                "email": "info@deco.example.com",
            }
        )
        cls.portal_a = new_test_user(
            env,
            "cmp_portal_a",
            name="Brandon Freeman",
            email="brandon.freeman@azure.example.com",
            groups="base.group_portal",
            partner_id=cls.contact_a.id,
        )
        cls.portal_b = new_test_user(
            env,
            "cmp_portal_b",
            name="Deco Buyer",
            email="buyer@deco.example.com",
            groups="base.group_portal",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        # calendar: weekdays 8-12, 13-17 in Madrid, a public holiday
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "Customer service hours",
                "tz": CALENDAR_TZ,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, hour_from, hour_to in (
                        ("morning", 8, 12),
                        ("afternoon", 13, 17),
                    )
                ],
            }
        )
        cls.holiday = env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": cls.calendar.id,
                "date_from": HOLIDAY_FROM,
                "date_to": HOLIDAY_TO,
                "time_type": "leave",
            }
        )
        cls.team = env["crm.complaint.team"].create(
            {
                "name": "After-sales",
                "user_id": cls.user_leader.id,
                "member_ids": [Command.set(cls.user_agent.ids)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.team_other = env["crm.complaint.team"].create(
            {
                "name": "Key accounts",
                "user_id": cls.user_agent_other.id,
                "member_ids": [Command.set(cls.user_agent_other.ids)],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.category_product = env["crm.complaint.category"].create({"name": "Product"})
        cls.category_damaged = env["crm.complaint.category"].create(
            {"name": "Damaged", "parent_id": cls.category_product.id}
        )
        cls.category_billing = env["crm.complaint.category"].create({"name": "Billing"})
        # SLA: urgent first, then a standard policy for the team
        env["crm.complaint.sla.policy"].search([]).active = False
        cls.policy_urgent = env["crm.complaint.sla.policy"].create(
            {
                "name": "Urgent",
                "sequence": 1,
                "priority": "3",
                "response_hours": 1,
                "resolution_hours": 8,
                "warning_hours": 1,
            }
        )
        cls.policy_damaged = env["crm.complaint.sla.policy"].create(
            {
                "name": "Damaged goods",
                "sequence": 5,
                "category_ids": [Command.set(cls.category_product.ids)],
                "kind": "complaint",
                "response_hours": 2,
                "resolution_hours": 12,
                "warning_hours": 1,
            }
        )
        cls.policy_standard = env["crm.complaint.sla.policy"].create(
            {
                "name": "Standard",
                "sequence": 10,
                "team_ids": [Command.set(cls.team.ids)],
                "response_hours": 4,
                "resolution_hours": 16,
                "warning_hours": 2,
            }
        )
        cls.stage_new = env.ref("crm_complaints.stage_new")
        cls.stage_progress = env.ref("crm_complaints.stage_in_progress")
        cls.stage_waiting = env.ref("crm_complaints.stage_waiting")
        cls.stage_resolved = env.ref("crm_complaints.stage_resolved")
        cls.stage_closed = env.ref("crm_complaints.stage_closed")
        cls.stage_rejected = env.ref("crm_complaints.stage_rejected")

    @classmethod
    def _setup_documents(cls):
        """A confirmed order of customer A, its delivery validated and its
        invoice posted; a confirmed order of customer B."""
        env = cls.env
        cls.product = env["product.product"].create(
            {
                "name": "Office Chair",
                "type": "consu",
                "is_storable": True,
                "list_price": 120.0,
                "invoice_policy": "order",
            }
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        env["stock.quant"]._update_available_quantity(
            cls.product, warehouse.lot_stock_id, 20
        )
        cls.order_a = cls._create_confirmed_order(cls.customer_a, qty=2)
        cls.picking_a = cls.order_a.picking_ids
        cls.picking_a.move_ids.quantity = 2
        cls.picking_a.button_validate()
        cls.invoice_a = cls.order_a._create_invoices()
        cls.invoice_a.action_post()
        cls.order_b = cls._create_confirmed_order(cls.customer_b, qty=1)
        cls.picking_b = cls.order_b.picking_ids

    @classmethod
    def _create_confirmed_order(cls, customer, qty=1):
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "price_unit": 120.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _create_complaint(self, **values):
        values.setdefault("subject", "Broken chair")
        values.setdefault("partner_id", self.customer_a.id)
        values.setdefault("team_id", self.team.id)
        # created in the customer's language, as when the customer files it
        complaint = (
            self.env["crm.complaint"]
            .with_context(lang=self.customer_a.lang or self.env.lang)
            .create(values)
        )
        # the SLA status depends on the time: compute it now (under freeze_time)
        self.env.flush_all()
        return complaint


class ComplaintCommon(ComplaintDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()


class ComplaintDocumentsCommon(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_documents()


class ComplaintHttpCommon(ComplaintDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()
        cls._setup_documents()
