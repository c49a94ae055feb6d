# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    """Retention: customers inactive for longer than their company keeps
    personal data are proposed to the company's customer data custodian for
    erasure (a ``data_recycle`` list the custodian approves or discards).

    Everything here is set-based: one search finds the inactive customers of a
    batch, a few grouped queries find those an erasure would refuse (the
    blockers of ``_lifecycle_anonymize_blockers``), one ``create`` proposes the
    rest."""

    _inherit = "res.partner"

    @api.model
    def _lifecycle_retention_domain(self, company, now=None):
        """Customers of ``company`` (its own and the shared ones) whose data
        is kept longer than the company's retention periods allow, blockers
        not checked yet. False when the company keeps everything."""
        now = now or fields.Datetime.now()
        kinds = []
        prospect_months = company.sudo().lifecycle_retention_prospect_months
        customer_months = company.sudo().lifecycle_retention_customer_months
        quiet = Domain("lifecycle_open_opportunity_count", "=", 0) & Domain(
            "lifecycle_open_quotation_count", "=", 0
        )
        if prospect_months:
            cutoff = now - relativedelta(months=prospect_months)
            kinds.append(
                Domain("lifecycle_first_sale_date", "=", False)
                & Domain("create_date", "<=", cutoff)
                & (
                    Domain("lifecycle_last_interaction_date", "=", False)
                    | Domain("lifecycle_last_interaction_date", "<=", cutoff)
                )
            )
        if customer_months:
            cutoff = now - relativedelta(months=customer_months)
            kinds.append(
                Domain("lifecycle_last_sale_date", "!=", False)
                & Domain("lifecycle_last_sale_date", "<=", cutoff.date())
                & (
                    Domain("lifecycle_last_interaction_date", "=", False)
                    | Domain("lifecycle_last_interaction_date", "<=", cutoff)
                )
            )
        if not kinds:
            return False
        companies = self.env["res.company"].sudo().search([])
        return (
            Domain("parent_id", "=", False)
            & Domain("id", "not in", list(self._lifecycle_retention_proposed_ids()))
            & Domain("company_id", "in", [company.id, False])
            & Domain("supplier_rank", "=", 0)
            # the companies and the staff are not customers
            & Domain("id", "not in", companies.partner_id.ids)
            & ~Domain("user_ids", "any", Domain("share", "=", False))
            & quiet
            & Domain.OR(kinds)
        )

    def _lifecycle_erasure_blocked(self):
        """The customers of ``self`` an erasure would refuse (see
        ``_lifecycle_anonymize_blockers``), in a few grouped queries: open
        orders, unpaid invoices, open receivable items (other addons add theirs:
        open complaints)."""
        if not self:
            return self
        blocked = self.filtered("lifecycle_receivable_amount")
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                Domain("partner_id.commercial_partner_id", "in", self.ids)
                & self._lifecycle_open_order_domain()
            )
        )
        blocked |= orders.partner_id.commercial_partner_id
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                Domain("commercial_partner_id", "in", self.ids)
                & self._lifecycle_unpaid_invoice_domain()
            )
        )
        blocked |= invoices.commercial_partner_id
        return self & blocked

    @api.model
    def _lifecycle_retention_proposed_ids(self):
        """Customers already proposed (approved, waiting or discarded by the
        custodian) or already erased: never proposed again."""
        records = (
            self.env["data_recycle.record"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("recycle_model_id.lifecycle_company_id", "!=", False)], ["res_id"]
            )
        )
        erased = (
            self.env["privacy.log"]
            .sudo()
            .search_fetch([("crm_action", "=", "anonymize")], ["crm_partner_ref"])
        )
        return set(records.mapped("res_id")) | set(erased.mapped("crm_partner_ref"))

    @api.model
    def _cron_lifecycle_retention(self, batch_size=500):
        """Propose to each company's custodian the customers due for erasure.
        Nothing is erased here: the custodian approves the proposals."""
        cron = self.env["ir.cron"]
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                [
                    "|",
                    ("lifecycle_retention_prospect_months", ">", 0),
                    ("lifecycle_retention_customer_months", ">", 0),
                ]
            )
        )
        for company in companies:
            recycle_model = self.env["data_recycle.model"]._lifecycle_retention_model(
                company
            )
            domain = self._lifecycle_retention_domain(company)
            last_id = 0
            new_proposals = 0
            out_of_time = False
            while True:
                proposed, last_id = recycle_model._lifecycle_propose(
                    domain, last_id, batch_size
                )
                new_proposals += len(proposed)
                if not last_id:
                    break
                remaining = self.sudo().search_count(
                    domain & Domain("id", ">", last_id)
                )
                out_of_time = (
                    cron._commit_progress(len(proposed), remaining=remaining) <= 0
                )
                if out_of_time:
                    break
            # once per run that found someone, not every night while they wait
            if new_proposals:
                recycle_model._lifecycle_notify_custodian()
            if out_of_time:
                return  # the runner calls again while work remains
