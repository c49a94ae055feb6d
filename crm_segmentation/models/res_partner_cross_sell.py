# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

SALES_GROUPS = "sales_team.group_sale_salesman,account.group_account_invoice"


class ResPartner(models.Model):
    _inherit = "res.partner"

    segment_cross_sell_ids = fields.One2many(
        "crm.cross.sell.suggestion",
        "partner_id",
        string="Cross-sell Suggestions",
        readonly=True,
        groups=SALES_GROUPS,
    )
    segment_next_offer_ids = fields.Many2many(
        "crm.cross.sell.suggestion",
        string="Next Best Offer",
        compute="_compute_segment_next_offer_ids",
        help="The products to offer the customer in the current company, the "
        "highest expected value first: bought by similar customers, never by "
        "this one.",
        groups=SALES_GROUPS,
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_segment_next_offer_ids(self):
        # one search for every customer displayed; a contact shows the
        # suggestions of its company
        Suggestion = self.env["crm.cross.sell.suggestion"]
        suggestions = Suggestion.search(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "in", self.commercial_partner_id.ids),
            ],
            order="expected_value desc, sequence, id",
        )
        by_customer = suggestions.grouped("partner_id")
        for partner in self:
            partner.segment_next_offer_ids = by_customer.get(
                partner.commercial_partner_id, Suggestion
            )

    def action_segment_quotation_from_offers(self):
        """One tap: a draft quotation with the customer's suggestions in the
        current company, opened."""
        self.ensure_one()
        if not self.segment_next_offer_ids:
            raise UserError(
                self.env._(
                    "%(customer)s has no cross-sell suggestion in this company.",
                    customer=self.commercial_partner_id.display_name,
                )
            )
        return self.segment_next_offer_ids.action_create_quotation()
