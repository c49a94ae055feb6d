# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.7.0: the e-mails a database exchanged with its customers before the
automatic e-mail logging reach their timelines, in the background (a scheduled
action in resumable batches, started here)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.interaction"]._lifecycle_start_email_backfill()
