# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.1.0: every complaint gets its portal access token (links sent before
carried none), and the SLA policy, deadlines and status of the open complaints
are recomputed with the current policies and calendars."""

import logging
import uuid

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

SLA_COMPUTES = (
    "_compute_sla_policy_id",
    "_compute_sla_deadlines",
    "_compute_sla_status",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT id FROM crm_complaint WHERE access_token IS NULL")
    ids = [row[0] for row in cr.fetchall()]
    if ids:
        cr.execute(
            """UPDATE crm_complaint c SET access_token = v.token
                 FROM unnest(%s::int[], %s::varchar[]) AS v(id, token)
                WHERE c.id = v.id""",
            [ids, [str(uuid.uuid4()) for _id in ids]],
        )
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    complaints = env["crm.complaint"].search([("is_closed", "=", False)])
    fields = [f for f in complaints._fields.values() if f.compute in SLA_COMPUTES]
    for field in fields:
        env.add_to_compute(field, complaints)
    complaints._recompute_recordset([f.name for f in fields])
    env.flush_all()
    _logger.info(
        "crm_complaints %s: %s access tokens, %s open complaints recomputed",
        version,
        len(ids),
        len(complaints),
    )
