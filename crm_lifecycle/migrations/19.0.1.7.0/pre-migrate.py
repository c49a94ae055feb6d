# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.7.0: each interaction belongs to a department (sales, customer
service, accounting, warehouse, marketing). The column is created and filled
here with one UPDATE, so that Odoo does not compute it record by record for a
timeline of millions (the mapping is the one of this version's compute)."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BY_TYPE = {
    "lead": "sales",
    "quotation_request": "sales",
    "web_form": "sales",
    "quotation": "sales",
    "order": "sales",
    "invoice": "accounting",
    "credit_note": "accounting",
    "payment": "accounting",
    "collection": "accounting",
    "payment_promise": "accounting",
    "delivery": "warehouse",
    "complaint": "service",
    "campaign_response": "marketing",
    "survey": "marketing",
}
BY_MODEL = {
    "crm.lead": "sales",
    "sale.order": "sales",
    "account.move": "accounting",
    "account.payment": "accounting",
    "stock.picking": "warehouse",
    "crm.complaint": "service",
}


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE crm_interaction ADD COLUMN IF NOT EXISTS department varchar"
    )
    cases = [
        SQL("WHEN interaction_type = %s THEN %s", itype, department)
        for itype, department in BY_TYPE.items()
    ] + [
        SQL("WHEN res_model = %s THEN %s", model, department)
        for model, department in BY_MODEL.items()
    ]
    cr.execute(
        SQL(
            "UPDATE crm_interaction SET department = CASE %s ELSE 'sales' END "
            "WHERE department IS NULL",
            SQL(" ").join(cases),
        )
    )
    _logger.info(
        "crm_lifecycle %s: %s interaction(s) given their department",
        version,
        cr.rowcount,
    )
