# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.2.0: the complaint events name the fact groups they change (the
events are ``noupdate`` data, which the upgrade does not rewrite); an event an
administrator already gave groups keeps them."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

FACT_GROUPS = {
    "event_complaint_opened": "complaints, interactions",
    "event_complaint_closed": "complaints, interactions",
    "event_complaint_sla_breached": "complaints",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.lifecycle.event"]._fill_fact_groups(
        {f"crm_complaints.{xmlid}": groups for xmlid, groups in FACT_GROUPS.items()}
    )
    _logger.info("crm_complaints %s: complaint events name their fact groups", version)
