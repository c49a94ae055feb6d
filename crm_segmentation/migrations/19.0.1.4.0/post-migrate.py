# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.4.0: every company gets the standard RFM matrix (with its cells) and
a customer value model, not only the main company: the companies created
before the upgrade get them now. The memberships carry their customer's value
at risk (the heat map reads it there): copied from the customers, as the
nightly recompute does."""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._crm_create_missing_company_data()
    if not column_exists(cr, "res_partner", "clv_value_at_risk"):
        # 19.0.1.5.0 moved the predictions to their own table
        return
    cr.execute(
        """
        UPDATE crm_segment_membership membership
           SET clv_value_at_risk = partner.clv_value_at_risk
          FROM res_partner partner
         WHERE partner.id = membership.partner_id
           AND partner.clv_value_at_risk IS NOT NULL
        """
    )
