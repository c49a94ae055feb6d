# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Domain

# The generic rule of a retention list matches nothing: its customers are
# found by ``res.partner._lifecycle_retention_domain`` (and if the suite is
# uninstalled, the list left behind proposes no one).
NO_RECORD = "[('id', '=', 0)]"


class DataRecycleModel(models.Model):
    """One ``data_recycle`` list per company for the customers its retention
    periods propose for erasure. Approving a proposal runs the suite's erasure
    (see ``data.recycle.record``), not a plain delete."""

    _inherit = "data_recycle.model"

    lifecycle_company_id = fields.Many2one(
        "res.company",
        string="Customer Retention Of",
        ondelete="cascade",
        index="btree_not_null",
        readonly=True,
        help="Set on the list of customers the company's retention periods "
        "propose for erasure: approving one erases the customer's personal data.",
    )

    _lifecycle_company_uniq = models.UniqueIndex(
        "(lifecycle_company_id) WHERE lifecycle_company_id IS NOT NULL",
        "A company has one customer retention list.",
    )

    @api.model
    def _lifecycle_retention_model(self, company):
        """The retention list of ``company``, created the first time."""
        recycle_model = (
            self.sudo()
            .with_context(active_test=False)
            .search([("lifecycle_company_id", "=", company.id)], limit=1)
        )
        if not recycle_model:
            recycle_model = self.sudo().create(
                {
                    "name": self.env._(
                        "Customer retention: %(company)s", company=company.name
                    ),
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "lifecycle_company_id": company.id,
                    "recycle_mode": "manual",
                    "recycle_action": "archive",
                    "domain": NO_RECORD,
                    "time_field_id": False,
                    "notify_user_ids": [],
                }
            )
            # owned by the addon: uninstalling it removes the list and its
            # proposals (left behind, Data Recycle would archive, not erase)
            self.env["ir.model.data"].sudo().create(
                {
                    "module": "crm_privacy",
                    "name": f"data_recycle_model_retention_company_{company.id}",
                    "model": self._name,
                    "res_id": recycle_model.id,
                    "noupdate": True,
                }
            )
        return recycle_model

    def _recycle_records(self, batch_commits=False):
        """Data Recycle's own job and its "Refresh" button: the retention lists
        propose the customers due (without the blocked ones), the other lists
        work as in core."""
        retention = self.filtered("lifecycle_company_id")
        res = super(DataRecycleModel, self - retention)._recycle_records(
            batch_commits=batch_commits
        )
        Partner = self.env["res.partner"]
        for recycle_model in retention.filtered("active"):
            domain = Partner._lifecycle_retention_domain(
                recycle_model.lifecycle_company_id
            )
            last_id = 0
            while domain is not False:
                __, last_id = recycle_model._lifecycle_propose(domain, last_id)
                if not last_id:
                    break
        return res

    def _lifecycle_propose(self, domain, last_id=0, batch_size=500):
        """Propose the next batch (by id, after ``last_id``) of the customers
        matching ``domain`` that no erasure blocker holds back.

        :return: (partners proposed, id to continue after; 0 when done)"""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        if domain is False:
            return Partner, 0
        batch = Partner.search(
            Domain(domain) & Domain("id", ">", last_id), limit=batch_size, order="id"
        )
        if not batch:
            return Partner, 0
        due = batch - batch._lifecycle_erasure_blocked()
        self.env["data_recycle.record"].sudo().create(
            [{"recycle_model_id": self.id, "res_id": partner.id} for partner in due]
        )
        self.env["privacy.log"].sudo().create(
            [
                {
                    "crm_partner_id": partner.id,
                    "crm_action": "retention_proposed",
                    "crm_company_id": self.lifecycle_company_id.id,
                    "user_id": self.env.user.id,
                    "execution_details": self.env._(
                        "No activity for longer than the retention period: "
                        "proposed to the customer data custodian for erasure."
                    ),
                }
                for partner in due
            ]
        )
        return due, batch[-1].id

    def _lifecycle_notify_custodian(self):
        """Tell the custodian that customers wait for a decision."""
        for recycle_model in self:
            custodian = (
                recycle_model.lifecycle_company_id.sudo().lifecycle_data_custodian_id
            )
            waiting = (
                self.env["data_recycle.record"]
                .sudo()
                .search_count([("recycle_model_id", "=", recycle_model.id)])
            )
            if not custodian or not waiting:
                continue
            self.env["mail.thread"].sudo().message_notify(
                body=self.env._(
                    "%(count)s customer(s) of %(company)s are kept longer than "
                    "the retention period and wait for your approval before "
                    "their personal data is erased (CRM > Sales > Erasure "
                    "Proposals).",
                    count=waiting,
                    company=recycle_model.lifecycle_company_id.name,
                ),
                model=self._name,
                res_id=recycle_model.id,
                partner_ids=custodian.partner_id.ids,
                subject=self.env._("Customers due for erasure"),
            )
