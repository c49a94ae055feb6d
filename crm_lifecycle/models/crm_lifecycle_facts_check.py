# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmLifecycleFactsCheck(models.Model):
    """The day the nightly lifecycle job last checked a customer's facts of a
    company: one narrow row per customer and company, rewritten every night by
    one statement per batch (``_mark``). Kept out of ``res_partner``, whose
    wide rows (and their many indexes) cost a row version each per customer
    and night for a bookkeeping date; ``res.partner.lifecycle_facts_date``
    shows it for the current company."""

    _name = "crm.lifecycle.facts.check"
    _description = "Customer Facts Check"
    _rec_name = "partner_id"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    date = fields.Date(required=True)

    _partner_company_uniq = models.UniqueIndex("(partner_id, company_id)")

    @api.model
    def _mark(self, partner_ids, date):
        """Note that these customers were checked on ``date`` (``False``:
        never) for the current company, in one statement, without the ORM (no
        cache to keep)."""
        partner_ids = list(partner_ids)
        if not partner_ids:
            return
        company_id = self.env.company.id
        if not date:
            self.env.execute_query(
                SQL(
                    "DELETE FROM crm_lifecycle_facts_check"
                    " WHERE partner_id = ANY(%s) AND company_id = %s",
                    partner_ids,
                    company_id,
                )
            )
        else:
            self.env.execute_query(
                SQL(
                    """
                    INSERT INTO crm_lifecycle_facts_check (partner_id, company_id, date)
                    SELECT id, %s, %s FROM unnest(%s::int[]) AS id
                    ON CONFLICT (partner_id, company_id)
                    DO UPDATE SET date = EXCLUDED.date
                    """,
                    company_id,
                    date,
                    partner_ids,
                )
            )
        self.invalidate_model(["partner_id", "company_id", "date"])
        self.env["res.partner"].browse(partner_ids).invalidate_recordset(
            ["lifecycle_facts_date"]
        )
