# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The behaviour facts campaign responses add to the customer lifecycle (plain
Python: the declaration crm_lifecycle's fact collector reads, see
``res.partner._lifecycle_fact_groups``)."""

from datetime import timedelta

from odoo.tools import SQL

from odoo.addons.crm_lifecycle.facts import FactGroup

# What counts as the customer responding: it opened, clicked or replied. A mail
# sent or bounced is a contact (in the timeline), not a response.
RESPONSE_EVENTS = ("opened", "clicked", "replied")
RECENT_DAYS = 90


def _query_campaigns(collector):
    return SQL(
        """
        SELECT partner_id, company_id, MAX(date),
               COUNT(*) FILTER (WHERE date >= %(since)s)
          FROM crm_interaction
         WHERE partner_id = ANY(%(ids)s)
           AND interaction_type = 'campaign_response'
           AND campaign_event IN %(events)s
           AND %(company)s
      GROUP BY 1, 2
        """,
        ids=collector.ids,
        company=collector.in_company("company_id"),
        events=RESPONSE_EVENTS,
        since=collector.today - timedelta(days=RECENT_DAYS),
    )


def _collect_campaigns(collector, rows):
    for partner, _company, (last, recent) in rows:
        values = collector.facts[partner]
        values["lifecycle_campaign_response_count"] += recent
        collector.keep(
            values,
            "lifecycle_last_campaign_response_date",
            last.date() if last else last,
            max,
        )


CAMPAIGNS = FactGroup(
    name="campaigns",
    fields=(
        "lifecycle_last_campaign_response_date",
        "lifecycle_campaign_response_count",
    ),
    columns=("last_response", "recent_responses"),
    sources=(
        (
            "crm.interaction",
            ("partner_id", "company_id", "date", "interaction_type", "campaign_event"),
        ),
    ),
    query=_query_campaigns,
    collect=_collect_campaigns,
    derived={
        "lifecycle_days_since_campaign_response": (
            "lifecycle_last_campaign_response_date"
        )
    },
    # its query reads today
    dated=True,
)
