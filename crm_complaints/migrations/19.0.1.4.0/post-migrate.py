# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.4.0: every company gets a complaint team (a copy of the shipped
"Customer Service" team), not only the main company: the companies created
before the upgrade and without a team get one now."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._crm_create_missing_company_data()
