# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models

from .res_partner import SALESMAN_GROUP


class ResPartner(models.Model):
    """The customer summary: one compact view of the customer for every
    department (sales, accounting, warehouse), within each one's rights, on the
    customer and on its orders, invoices and deliveries."""

    _inherit = "res.partner"

    lifecycle_deliveries_in_progress = fields.Integer(
        string="Deliveries in Progress",
        compute="_compute_lifecycle_deliveries",
        compute_sudo=True,
        groups="base.group_user",
    )
    lifecycle_summary_html = fields.Html(
        string="Customer Summary",
        compute="_compute_lifecycle_summary_html",
        sanitize=False,
        groups="base.group_user",
    )

    def _compute_lifecycle_deliveries(self):
        """Outgoing deliveries not done yet, per commercial partner (one query)."""
        commercial = self.commercial_partner_id.filtered("id")
        counts = {}
        if commercial:
            counts = dict(
                self.env["stock.picking"]._read_group(
                    [
                        ("partner_id", "child_of", commercial.ids),
                        ("picking_type_code", "=", "outgoing"),
                        ("state", "in", ("waiting", "confirmed", "assigned")),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
        totals = defaultdict(int)
        for contact, count in counts.items():
            totals[contact.commercial_partner_id.id] += count
        for partner in self:
            partner.lifecycle_deliveries_in_progress = totals.get(
                partner.commercial_partner_id.id, 0
            )

    @api.depends_context("uid", "company")
    def _compute_lifecycle_summary_html(self):
        """The values are read as superuser; the sections shown depend on the
        user's groups, the stage and facts on the current company (they are
        company-dependent). The template escapes everything it renders."""
        rights = self._lifecycle_summary_rights()
        customers = self.commercial_partner_id.sudo()
        customers.mapped("lifecycle_stage_id")  # prefetch everything at once
        values = self.sudo()._lifecycle_summary_values(rights)
        unknown = self._lifecycle_not_known(as_user=True)
        qweb = self.env["ir.qweb"]
        for partner in self:
            # another salesperson's customer: nothing of the suite's judgement
            partner.lifecycle_summary_html = (
                False
                if partner in unknown
                else qweb._render(
                    "crm_lifecycle.customer_summary", values[partner.sudo()]
                )
            )

    @api.model
    def _lifecycle_summary_rights(self):
        """What the current user's departments may see in the summary."""
        user = self.env.user
        sales = user.has_group(SALESMAN_GROUP)
        accounting = user.has_group("account.group_account_invoice")
        stock = user.has_group("stock.group_stock_user")
        return {
            "sales": sales,
            "accounting": accounting,
            "stock": stock,
            "show_payments": sales or accounting,
            "show_relationship": sales or accounting,
            "show_deliveries": sales or accounting or stock,
        }

    def _lifecycle_summary_values(self, rights):
        """Values of the customer summary, per partner (called as superuser, for
        all the partners at once): other addons add theirs, see
        readme/DEVELOP.md."""
        return {
            partner: dict(rights, partner=partner.commercial_partner_id)
            for partner in self
        }

    @api.model
    def _lifecycle_invalidate_summary(self):
        """The summary reads live values (deliveries in progress, complaints...)
        that no field dependency tracks: forget them when something happens to
        a customer, in this transaction's cache (no query)."""
        self.env["res.partner"].invalidate_model(
            ["lifecycle_deliveries_in_progress", "lifecycle_summary_html"]
        )
        for model in ("sale.order", "account.move", "stock.picking"):
            self.env[model].invalidate_model(["lifecycle_customer_summary"])
