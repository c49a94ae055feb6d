# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.6.0: a shared customer has its own RFM figures in each company
(company-dependent fields, one jsonb per partner). The figures of an existing
database are kept for the company that computed them: the customer's own
company, else the main company; the post-migration computes the other
companies'."""

from odoo.tools import SQL
from odoo.tools.sql import make_index_name

from odoo.addons.crm_lifecycle.company_values import convert_to_company_dependent

RFM_COLUMNS = (
    "rfm_last_purchase_date",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_score",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'res_partner' AND column_name IN %s"
        " AND data_type != 'jsonb'",
        [RFM_COLUMNS],
    )
    for (column,) in cr.fetchall():
        # the index of the plain column (the score's) is of no use on the
        # jsonb: dropped, Odoo creates the one of a company-dependent field
        cr.execute(
            SQL(
                "DROP INDEX IF EXISTS %s",
                SQL.identifier(make_index_name("res_partner", column)),
            )
        )
    convert_to_company_dependent(cr, "res_partner", RFM_COLUMNS, SQL("company_id"))
