# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import ComplaintCustomerPortal, _clean_token


class DeliveryCustomerPortal(ComplaintCustomerPortal):
    """The customer's deliveries on the portal (``/my/deliveries``), where they
    follow what they ordered and from where they file a complaint about it."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "delivery_count" in counters:
            partner = request.env.user.partner_id
            values["delivery_count"] = (
                request.env["stock.picking"]
                .sudo()
                .search_count(self._prepare_deliveries_domain(partner))
            )
        return values

    # read only (a read replica may serve it); the page of one delivery stays
    # on the primary: it may mint the access token of the delivery slip
    @http.route(
        ["/my/deliveries", "/my/deliveries/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_deliveries(self, page=1, **kw):
        """The customer's deliveries with their state and the availability of
        their products (portal users have no access to stock: read with sudo,
        restricted to their commercial entity)."""
        values = self._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        Picking = request.env["stock.picking"].sudo()
        domain = self._prepare_deliveries_domain(partner)
        pager = portal_pager(
            url="/my/deliveries",
            total=Picking.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        deliveries = Picking.search(
            domain,
            order="scheduled_date desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values.update(
            {
                "deliveries": deliveries,
                "page_name": "delivery",
                "pager": pager,
                "default_url": "/my/deliveries",
            }
        )
        return request.render("crm_complaints.portal_my_deliveries", values)

    def _delivery_check_access(self, picking_id, access_token=None):
        """The delivery (with sudo) if the visitor may see it: one of their
        commercial entity's deliveries, or with the access token of its sales
        order (the token core's delivery slip link uses); else None. Core
        Community has no portal page for deliveries, only the slip (PDF)."""
        Picking = request.env["stock.picking"].sudo()
        picking = Picking.browse(picking_id).exists()
        if not picking or picking.picking_type_code != "outgoing":
            return None
        user = request.env.user
        if not user._is_public():
            domain = [("id", "=", picking.id)] + self._prepare_deliveries_domain(
                user.partner_id
            )
            if Picking.search_count(domain):
                return picking
        access_token = _clean_token(access_token)
        order_token = picking.sale_id.access_token
        if access_token and order_token and consteq(order_token, access_token):
            return picking
        return None

    @http.route(
        ["/my/deliveries/<int:picking_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_delivery(self, picking_id, access_token=None, **kw):
        """One delivery, read only: its products, dates, address and the
        customer's requests about it."""
        picking = self._delivery_check_access(picking_id, access_token)
        if not picking:
            return request.redirect("/my")
        user = request.env.user
        is_owner = (
            not user._is_public()
            and picking.partner_id.commercial_partner_id
            == (user.partner_id.commercial_partner_id)
        )
        Complaint = request.env["crm.complaint"]
        complaints = (
            Complaint.search([("picking_id", "=", picking.id)])
            if is_owner and Complaint.has_access("read")
            else Complaint
        )
        order = picking.sale_id
        token = order._portal_ensure_token() if order else False
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "delivery": picking,
                "page_name": "delivery",
                "complaints": complaints.sudo(),
                "can_report": is_owner and picking.state != "cancel",
                "order_url": order and order.get_portal_url(),
                "slip_url": token
                and f"/my/picking/pdf/{picking.id}?access_token={token}",
            }
        )
        return request.render("crm_complaints.portal_my_delivery", values)
