# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""19.0.1.8.0: the day the nightly job last checked each customer moves from
res_partner to the narrow table crm_lifecycle_facts_check (the job rewrote it
on every customer's wide row every night)."""

from odoo.addons.crm_lifecycle.company_values import main_company_id


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'res_partner' AND column_name = 'lifecycle_facts_date'"
    )
    if not cr.fetchone():
        return
    # the checks are per company since 19.0.1.9.0: the main company's
    cr.execute(
        """
        INSERT INTO crm_lifecycle_facts_check (partner_id, company_id, date)
        SELECT id, %s, lifecycle_facts_date
          FROM res_partner
         WHERE lifecycle_facts_date IS NOT NULL
        ON CONFLICT (partner_id, company_id) DO NOTHING
        """,
        (main_company_id(cr),),
    )
    cr.execute("ALTER TABLE res_partner DROP COLUMN lifecycle_facts_date")
