# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours of the complaint screens (headless Chromium): a complaint
filed from a validated delivery and resolved with a credit note; a portal
customer filing, following, closing and rating a complaint."""

from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import BrowserTourCase, MobileTourCase
from odoo.addons.crm_lifecycle.tests.page_text import PageTextTourMixin

from .common import ComplaintDataMixin


class ComplaintTourCommon(ComplaintDataMixin, BrowserTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()
        cls._setup_documents()


@tagged("post_install", "-at_install")
class TestComplaintDeliveryTour(ComplaintTourCommon):
    def test_complaint_from_delivery_resolved_by_credit_note(self):
        # An after-sales agent who sees every order ("All Documents": with
        # "Own Documents Only", as in core, a delivery of another salesperson's
        # order cannot be opened), the warehouse and the invoices.
        agent = new_test_user(
            self.env,
            "cmp_tour_agent",
            name="Tess Tour",
            groups="crm_complaints.group_complaint_user,"
            "sales_team.group_sale_salesman_all_leads,stock.group_stock_user,"
            "account.group_account_invoice",
        )
        self.team.member_ids |= agent
        self.assertEqual(self.picking_a.state, "done")
        self.assertFalse(self.picking_a.complaint_ids)

        self.start_tour(
            f"/odoo/stock.picking/{self.picking_a.id}",
            "crm_complaints_delivery_tour",
            login=agent.login,
        )
        complaint = self.picking_a.complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.subject, "Chair arrived broken")
        self.assertEqual(complaint.partner_id, self.customer_a)
        self.assertEqual(complaint.sale_order_id, self.order_a)
        self.assertEqual(complaint.invoice_id, self.invoice_a)
        credit_note = complaint.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice_a)
        self.assertIn(complaint.name, credit_note.ref)
        self.assertEqual(complaint.amount_refunded, self.invoice_a.amount_total)
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)


class RoleTourMixin(PageTextTourMixin):
    """The role tours run in English and in Spanish (``lang``): the Spanish
    runs fail on any English string of our addons on screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_tour_lang()


class AgentTourMixin(RoleTourMixin):
    def test_agent_grants_the_amount_claimed(self):
        agent = new_test_user(
            self.env,
            "cmp_tour_billing",
            name="Bill Agent",
            groups="crm_complaints.group_complaint_user,account.group_account_invoice",
            lang=self.lang,
        )
        self.team.member_ids |= agent
        # the customer speaks the language of the run: what it is told (the
        # resolution) and what was logged when its complaint came in are in it
        (self.customer_a | self.contact_a).lang = self.lang
        complaint = self._create_complaint(
            invoice_id=self.invoice_a.id,
            amount_claimed=50.0,
            user_id=agent.id,
            category_id=self.category_billing.id,
        )
        complaint.stage_id = self.stage_waiting
        self.run_reading_tour(
            f"/odoo/action-crm_complaints.crm_complaint_action/{complaint.id}",
            "crm_complaints_agent_tour",
            login=agent.login,
        )
        note = complaint.credit_note_ids
        self.assertEqual(len(note), 1)
        self.assertAlmostEqual(note.amount_total, 50.0, delta=0.01)
        self.assertAlmostEqual(complaint.amount_granted, 50.0, delta=0.01)
        self.assertEqual(complaint.stage_id, self.stage_resolved)


@tagged("post_install", "-at_install")
class TestComplaintAgentTour(AgentTourMixin, ComplaintTourCommon):
    pass


@tagged("post_install", "-at_install")
class TestComplaintAgentTourMobile(AgentTourMixin, ComplaintDataMixin, MobileTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()
        cls._setup_documents()


@tagged("post_install", "-at_install")
class TestComplaintAgentTourSpanish(AgentTourMixin, ComplaintTourCommon):
    lang = "es_ES"


@tagged("post_install", "-at_install")
class TestComplaintAgentTourMobileSpanish(
    AgentTourMixin, ComplaintDataMixin, MobileTourCase
):
    lang = "es_ES"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()
        cls._setup_documents()


class PortalTourMixin(RoleTourMixin):
    def test_portal_customer_files_follows_and_rates(self):
        # a generous catch-all policy: the new complaint is on track whatever
        # the hour the test runs at
        self.env["crm.complaint.sla.policy"].create(
            {
                "name": "Everything else",
                "sequence": 100,
                "response_hours": 40,
                "resolution_hours": 80,
                "warning_hours": 1,
            }
        )
        self.portal_a.lang = self.lang
        if self.lang == "es_ES":
            # the company's own categories, named in its language
            for category, name in (
                (self.category_product, "Producto"),
                (self.category_damaged, "Dañado"),
                (self.category_billing, "Facturación"),
            ):
                category.with_context(lang=self.lang).name = name
        self.run_reading_tour("/my", "crm_complaints_portal_tour", login="cmp_portal_a")
        complaint = self.env["crm.complaint"].search(
            [("subject", "=", "Two chairs missing")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, self.contact_a)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.kind, "claim")
        self.assertEqual(complaint.picking_id, self.picking_a)
        self.assertTrue(complaint.sla_policy_id)
        self.assertTrue(complaint.is_closed)
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Quick and kind, thank you")
        self.assertEqual(rating.partner_id, self.contact_a)
        self.assertEqual(complaint.rating_last_value, 5)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["parcel.txt"])


@tagged("post_install", "-at_install")
class TestComplaintPortalTour(PortalTourMixin, ComplaintTourCommon):
    pass


@tagged("post_install", "-at_install")
class TestComplaintPortalTourMobile(
    PortalTourMixin, ComplaintDataMixin, MobileTourCase
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()
        cls._setup_documents()


@tagged("post_install", "-at_install")
class TestComplaintPortalTourSpanish(PortalTourMixin, ComplaintTourCommon):
    lang = "es_ES"


@tagged("post_install", "-at_install")
class TestComplaintPortalTourMobileSpanish(
    PortalTourMixin, ComplaintDataMixin, MobileTourCase
):
    lang = "es_ES"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()
        cls._setup_documents()


@tagged("post_install", "-at_install")
class TestComplaintKanbanTourMobile(ComplaintDataMixin, MobileTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_complaint_data()

    def test_status_badge_clear_of_the_card_menu(self):
        complaint = self._create_complaint(user_id=self.user_agent.id)
        self.assertTrue(complaint.sla_status)
        self.start_tour(
            "/odoo/action-crm_complaints.crm_complaint_action",
            "crm_complaints_kanban_tour",
            login=self.user_agent.login,
        )
