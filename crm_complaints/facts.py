# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The behaviour facts complaints add to the customer lifecycle (plain Python:
the declaration crm_lifecycle's fact collector reads, see
``res.partner._lifecycle_fact_groups``)."""

from datetime import timedelta

from odoo.tools import SQL

from odoo.addons.crm_lifecycle.facts import FactGroup

# What counts as a complaint in the customer's behaviour: complaints and claims;
# requests, suggestions and questions are not dissatisfaction.
COUNTED_KINDS = ("complaint", "claim")


def _query_complaints(collector):
    return SQL(
        """
        SELECT commercial_partner_id, company_id, COUNT(*)
          FROM crm_complaint
         WHERE commercial_partner_id = ANY(%(ids)s)
           AND kind IN %(kinds)s
           AND date_open >= %(since)s
           AND %(company)s
      GROUP BY 1, 2
        """,
        ids=collector.ids,
        company=collector.in_company("company_id"),
        kinds=COUNTED_KINDS,
        since=collector.today - timedelta(days=365),
    )


def _collect_complaints(collector, rows):
    for partner, _company, (count,) in rows:
        collector.facts[partner]["complaint_recent_count"] += count


COMPLAINTS = FactGroup(
    name="complaints",
    fields=("complaint_recent_count",),
    columns=("recent_complaints",),
    sources=(
        (
            "crm.complaint",
            ("commercial_partner_id", "company_id", "kind", "date_open"),
        ),
    ),
    query=_query_complaints,
    collect=_collect_complaints,
    # open, breached, high priority: read live from the complaints
    live=("complaint_breached_high_priority",),
    # its query reads today
    dated=True,
)
