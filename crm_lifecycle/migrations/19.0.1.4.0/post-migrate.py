# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.4.0: credit notes have a timeline type of their own. Credit notes
logged before as "Invoice" take it, so the timeline reads what happened."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE crm_interaction i
               SET interaction_type = 'credit_note',
                   name = CASE WHEN i.name LIKE 'Invoice: %%'
                               THEN 'Credit note: ' || substr(i.name, 10)
                               ELSE i.name END
              FROM account_move m
             WHERE i.res_model = 'account.move'
               AND i.res_id = m.id
               AND m.move_type = 'out_refund'
               AND i.interaction_type = 'invoice'
            """
        )
    )
    _logger.info(
        "crm_lifecycle %s: %s credit note(s) retyped in the timeline",
        version,
        cr.rowcount,
    )
