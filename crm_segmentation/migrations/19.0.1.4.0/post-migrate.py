# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.4.0: every company gets the standard RFM matrix (with its cells) and
a customer value model, not only the main company: the companies created
before the upgrade get them now."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._segment_create_missing_company_data()
