# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dunning fact credit control adds to the customer lifecycle (plain
Python: the declaration crm_lifecycle's fact collector reads, see
``res.partner._lifecycle_fact_groups``)."""

from odoo.tools import SQL

from odoo.addons.crm_lifecycle.facts import FactGroup

# A reminder counts once it reached the customer: an e-mail sent, a letter
# printed and marked done, a phone call marked done.
SENT_STATES = ("sent",)


def _query_dunning(collector):
    """The highest level reminded on the customer's items still open and
    still followed up (a disputed item, held out of follow-up, does not
    count while the dispute lasts; a paid one no more)."""
    return SQL(
        """
        SELECT line.commercial_partner_id, line.company_id, MAX(level.level)
          FROM credit_control_line line
          JOIN credit_control_policy_level level ON level.id = line.policy_level_id
          JOIN account_move_line aml ON aml.id = line.move_line_id
         WHERE line.commercial_partner_id = ANY(%(ids)s)
           AND line.state IN %(states)s
           AND aml.reconciled IS NOT TRUE
           AND aml.amount_residual != 0
           AND aml.no_followup IS NOT TRUE
           AND %(company)s
      GROUP BY 1, 2
        """,
        ids=collector.ids,
        company=collector.in_company("line.company_id"),
        states=SENT_STATES,
    )


def _collect_dunning(collector, rows):
    for partner, _company, (level,) in rows:
        collector.keep(collector.facts[partner], "lifecycle_dunning_level", level, max)


DUNNING = FactGroup(
    name="dunning",
    fields=("lifecycle_dunning_level",),
    columns=("dunning_level",),
    sources=(
        (
            "credit.control.line",
            (
                "commercial_partner_id",
                "company_id",
                "state",
                "policy_level_id",
                "move_line_id",
            ),
        ),
        ("credit.control.policy.level", ("level",)),
        ("account.move.line", ("reconciled", "amount_residual", "no_followup")),
    ),
    query=_query_dunning,
    collect=_collect_dunning,
)
