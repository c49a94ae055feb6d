# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import ComplaintCustomerPortal


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

    @http.route(
        ["/my/deliveries", "/my/deliveries/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
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
