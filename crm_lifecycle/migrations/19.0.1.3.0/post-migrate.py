# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.3.0: events name the fact groups they change. The events are
``noupdate`` data, so the upgrade does not rewrite them: give the shipped events
their groups here (an event an administrator already gave groups keeps them)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

FACT_GROUPS = {
    "event_lead_created": "leads, interactions",
    "event_lead_won": "leads",
    "event_lead_lost": "leads",
    "event_quotation_sent": "sales, interactions",
    "event_order_confirmed": "sales, interactions",
    "event_invoice_posted": "invoices, receivables, interactions",
    "event_payment_received": "payments, receivables, days_to_pay, interactions",
    "event_delivery_done": "interactions",
    "event_interaction_logged": "interactions",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.lifecycle.event"]._fill_fact_groups(
        {f"crm_lifecycle.{xmlid}": groups for xmlid, groups in FACT_GROUPS.items()}
    )
    _logger.info("crm_lifecycle %s: lifecycle events name their fact groups", version)
