# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    segment_cross_sell_ids = fields.One2many(
        "crm.cross.sell.suggestion",
        "partner_id",
        string="Cross-sell Suggestions",
        readonly=True,
        groups="sales_team.group_sale_salesman,account.group_account_invoice",
    )
