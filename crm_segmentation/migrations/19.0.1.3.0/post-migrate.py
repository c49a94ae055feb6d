# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.0: cross-sell suggestions have an expected value and a best offer
per customer (the call list). Recompute them now rather than at the next
nightly run, so that the call list is not empty until then."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    companies = env["res.company"].search([])
    env["crm.cross.sell.rule"]._recompute(companies)
    _logger.info(
        "crm_segmentation %s: cross-sell suggestions recomputed with their "
        "expected value for %s companies",
        version,
        len(companies),
    )
