# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

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
    # the last night the job re-read every fact group of the customer, not
    # only those that move with the date (``FactGroup.dated``); empty: never
    full_date = fields.Date(string="Fully Checked On")

    _partner_company_uniq = models.UniqueIndex("(partner_id, company_id)")

    @api.model
    def _mark(self, partner_ids, date, full_ids=()):
        """Note that these customers were checked on ``date`` (``False``:
        never) for the current company, in one statement, without the ORM (no
        cache to keep); those of ``full_ids`` for every fact group."""
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
                    INSERT INTO crm_lifecycle_facts_check
                                (partner_id, company_id, date, full_date)
                    SELECT id, %(company)s, %(date)s,
                           CASE WHEN id = ANY(%(full)s) THEN %(date)s::date END
                      FROM unnest(%(ids)s::int[]) AS id
                    ON CONFLICT (partner_id, company_id)
                    DO UPDATE SET date = EXCLUDED.date,
                                  full_date = COALESCE(
                                      EXCLUDED.full_date,
                                      crm_lifecycle_facts_check.full_date
                                  )
                    """,
                    company=company_id,
                    date=date,
                    full=list(full_ids),
                    ids=partner_ids,
                )
            )
        self.invalidate_model(["partner_id", "company_id", "date", "full_date"])
        self.env["res.partner"].browse(partner_ids).invalidate_recordset(
            ["lifecycle_facts_date"]
        )

    @api.model
    def _fully_checked(self, today, every):
        """The customers the nightly job need not re-read every fact group of
        tonight for the current company, in one query for the night: fully
        checked within ``every`` nights and not on their night. The others
        are due: never fully checked, their night missed (no job that
        night), or their night: each customer once every ``every`` nights, by
        its id, so that each night does about the same share."""
        if every <= 1:
            return set()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id FROM crm_lifecycle_facts_check
                 WHERE company_id = %(company)s
                   AND full_date > %(overdue)s
                   AND (partner_id + %(night)s) %% %(every)s != 0
                """,
                company=self.env.company.id,
                overdue=today - timedelta(days=every),
                night=today.toordinal(),
                every=every,
            )
        )
        return {id_ for (id_,) in rows}

    @api.model
    def _oldest_check(self, today):
        """The oldest day a customer not checked today was checked for the
        current company (None: none)."""
        [(oldest,)] = self.env.execute_query(
            SQL(
                "SELECT MIN(date) FROM crm_lifecycle_facts_check"
                " WHERE company_id = %s AND date < %s",
                self.env.company.id,
                today,
            )
        )
        return oldest
