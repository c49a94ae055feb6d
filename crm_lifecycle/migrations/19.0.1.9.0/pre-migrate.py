# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.9.0: a shared customer has its own stage and facts in each company
(company-dependent fields, one jsonb per partner). The values of an existing
database are kept for the company that computed them: the customer's own
company, else the main company; the post-migration computes the others.
The days the nightly job checked the customers are kept for the main
company."""

from odoo.tools import SQL

from odoo.addons.crm_lifecycle.company_values import (
    convert_to_company_dependent,
    main_company_id,
)

STAGE_COLUMNS = ("lifecycle_stage_id", "lifecycle_date_stage", "lifecycle_locked")
FACT_COLUMNS = (
    "lifecycle_first_sale_date",
    "lifecycle_last_sale_date",
    "lifecycle_order_count",
    "lifecycle_open_quotation_count",
    "lifecycle_invoiced_amount",
    "lifecycle_paid_amount",
    "lifecycle_last_payment_date",
    "lifecycle_open_opportunity_count",
    "lifecycle_lead_probability",
    "lifecycle_last_interaction_date",
    "lifecycle_interaction_count",
    "lifecycle_last_collection_date",
    "lifecycle_broken_promise_count",
    "lifecycle_promise_date",
    "lifecycle_receivable_amount",
    "lifecycle_overdue_amount",
    "lifecycle_disputed_amount",
    "lifecycle_oldest_overdue_date",
    "lifecycle_avg_days_to_pay",
    "lifecycle_paid_invoice_count",
)


def migrate(cr, version):
    if not version:
        return
    # a report's view reads the stage: dropped, its module recreates it
    cr.execute("DROP VIEW IF EXISTS crm_complaint_report")
    convert_to_company_dependent(
        cr, "res_partner", STAGE_COLUMNS + FACT_COLUMNS, SQL("company_id")
    )
    _checks_per_company(cr)


def _checks_per_company(cr):
    """The checks of the nightly job get their company: the main one."""
    cr.execute("SELECT to_regclass('crm_lifecycle_facts_check')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        "ALTER TABLE crm_lifecycle_facts_check ADD COLUMN IF NOT EXISTS company_id int4"
    )
    cr.execute(
        "UPDATE crm_lifecycle_facts_check SET company_id = %s WHERE company_id IS NULL",
        (main_company_id(cr),),
    )
    # unique per customer and company now (_partner_company_uniq)
    cr.execute("DROP INDEX IF EXISTS crm_lifecycle_facts_check_partner_uniq")
