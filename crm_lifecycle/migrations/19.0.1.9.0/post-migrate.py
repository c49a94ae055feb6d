# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.9.0: the stage and facts of each shared customer were kept for one
company (pre-migrate); the other companies have none yet. The nightly job
computes them (each company's unchecked customers): run it now rather than
at night, in its batches."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    if env["res.company"].search_count([]) < 2:
        return
    for xmlid in (
        "crm_lifecycle.ir_cron_lifecycle_nightly",
        "crm_lifecycle.ir_cron_lifecycle_nightly_2",
    ):
        cron = env.ref(xmlid, raise_if_not_found=False)
        if cron and cron.active:
            cron._trigger()
