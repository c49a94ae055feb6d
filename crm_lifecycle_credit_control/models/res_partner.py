# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.crm_lifecycle.models.res_partner_facts import FACT_ATTRS
from odoo.addons.crm_lifecycle.models.res_partner_need_to_know import MONEY_GROUPS

from ..facts import DUNNING


class ResPartner(models.Model):
    """The customer's dunning level as a lifecycle fact: rules, the
    Collections list, the customer summary and segmentation dimensions read it
    like the other facts."""

    _inherit = "res.partner"

    lifecycle_dunning_level = fields.Integer(
        string="Dunning Level",
        **FACT_ATTRS,
        groups=MONEY_GROUPS,
        help="Highest credit control level reminded (e-mail sent, letter or "
        "call done) on the customer's open items; 0: none. Items held out of "
        "follow-up (disputed) do not count.",
    )

    @api.model
    def _lifecycle_fact_groups(self):
        groups = super()._lifecycle_fact_groups()
        groups[DUNNING.name] = DUNNING
        return groups
