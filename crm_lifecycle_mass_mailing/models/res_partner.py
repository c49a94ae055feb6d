# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.crm_lifecycle.models.res_partner_facts import FACT_ATTRS

from ..facts import CAMPAIGNS


class ResPartner(models.Model):
    _inherit = "res.partner"

    lifecycle_last_campaign_response_date = fields.Date(
        string="Last Campaign Response",
        **FACT_ATTRS,
        groups="base.group_user",
        help="Last time the customer opened, clicked or replied to a mailing.",
    )
    lifecycle_campaign_response_count = fields.Integer(
        string="Campaign Responses (90 Days)",
        **FACT_ATTRS,
        groups="base.group_user",
        help="Mailings the customer opened, clicked or replied to in the last "
        "90 days (each event counts).",
    )
    lifecycle_days_since_campaign_response = fields.Integer(
        string="Days Since Campaign Response",
        compute="_compute_lifecycle_days_since_campaign_response",
        compute_sudo=True,
        search="_search_lifecycle_days_since_campaign_response",
        groups="base.group_user",
        help="For rules and segments: for example, responded to a campaign in "
        "the last 90 days.",
    )

    @api.model
    def _lifecycle_fact_groups(self):
        """Campaign responses are customer behaviour: rules and segmentation
        dimensions can use them like orders and complaints."""
        groups = super()._lifecycle_fact_groups()
        groups[CAMPAIGNS.name] = CAMPAIGNS
        return groups

    @api.depends("commercial_partner_id.lifecycle_last_campaign_response_date")
    def _compute_lifecycle_days_since_campaign_response(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.commercial_partner_id.lifecycle_last_campaign_response_date
            partner.lifecycle_days_since_campaign_response = (
                (today - last).days if last else 0
            )

    def _search_lifecycle_days_since_campaign_response(self, operator, value):
        return self._search_lifecycle_days(
            "commercial_partner_id.lifecycle_last_campaign_response_date",
            operator,
            value,
        )
