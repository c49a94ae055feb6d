# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    """Who answers the customers' data requests, and how long the personal
    data of inactive customers is kept."""

    _inherit = "res.company"

    lifecycle_data_custodian_id = fields.Many2one(
        "res.users",
        string="Customer Data Custodian",
        domain="[('share', '=', False)]",
        help="The person responsible for the customers' personal data (the "
        "custodian data-protection law asks for): answers access requests "
        "(export) and erasure requests (anonymisation).",
        groups="base.group_user",
    )
    # Retention: how long the personal data of an inactive customer is kept
    # before the custodian is asked to erase it (0 = never proposed)
    lifecycle_retention_prospect_months = fields.Integer(
        string="Erase Inactive Prospects After (Months)",
        default=0,
        groups="base.group_user",
        help="Prospects (never bought) with no interaction, open opportunity "
        "or quotation for this many months are proposed to the customer data "
        "custodian for erasure. 0: never.",
    )
    lifecycle_retention_customer_months = fields.Integer(
        string="Erase Former Customers After (Months)",
        default=0,
        groups="base.group_user",
        help="Customers with no purchase, no interaction and no open document "
        "(order, unpaid invoice, complaint) for this many months are proposed "
        "to the customer data custodian for erasure. 0: never.",
    )

    _lifecycle_retention_positive = models.Constraint(
        "CHECK(lifecycle_retention_prospect_months >= 0 "
        "AND lifecycle_retention_customer_months >= 0)",
        "A retention period cannot be negative (0 turns it off).",
    )
