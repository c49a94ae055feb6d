# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: log the documents that reached the database while the timeline
missed them (idempotent backfill, one INSERT ... SELECT per kind of document),
recompute the behaviour facts of the customers that got new interactions, and
let the next nightly run refresh every customer with the new code."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    customer_ids = env["crm.interaction"]._backfill_from_documents()
    if customer_ids:
        env["res.partner"].browse(customer_ids)._lifecycle_refresh_facts()
    cr.execute("UPDATE res_partner SET lifecycle_facts_date = NULL")
    _logger.info(
        "crm_lifecycle %s: %s customers got interactions back",
        version,
        len(customer_ids),
    )
