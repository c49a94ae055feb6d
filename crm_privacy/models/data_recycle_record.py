# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class DataRecycleRecord(models.Model):
    """A customer proposed for erasure by its company's retention period.
    Only the company's customer data custodian (or an administrator) sees the
    proposal; approving it runs the suite's erasure and archives the customer,
    discarding it keeps the customer and is never proposed again."""

    _inherit = "data_recycle.record"

    lifecycle_company_id = fields.Many2one(
        related="recycle_model_id.lifecycle_company_id",
        string="Retention Of",
        store=True,
        index="btree_not_null",
    )

    def _lifecycle_check_custodian(self):
        user = self.env.user
        if user.has_group("base.group_system"):
            return
        for company in self.sudo().lifecycle_company_id:
            if user != company.lifecycle_data_custodian_id:
                raise AccessError(
                    self.env._(
                        "Only the customer data custodian of %(company)s (or an "
                        "administrator) can decide on its customers' erasure.",
                        company=company.name,
                    )
                )

    def action_validate(self):
        retention = self.filtered(lambda record: record.sudo().lifecycle_company_id)
        if retention:
            retention._lifecycle_erase()
        return super(DataRecycleRecord, self - retention).action_validate()

    def action_discard(self):
        retention = self.filtered(lambda record: record.sudo().lifecycle_company_id)
        if retention:
            retention._lifecycle_check_custodian()
            self.env["privacy.log"].sudo().create(
                [
                    {
                        "crm_partner_id": record.res_id,
                        "crm_action": "retention_discarded",
                        "crm_company_id": record.sudo().lifecycle_company_id.id,
                        "execution_details": self.env._(
                            "Kept: the custodian refused the erasure."
                        ),
                    }
                    for record in retention
                ]
            )
        return super().action_discard()

    def _lifecycle_erase(self):
        """Approval by the custodian: the erasure of ``action_lifecycle_anonymize``
        (refused, for all, if one customer has an open document since it was
        proposed), then the customer is archived and the proposal removed."""
        self._lifecycle_check_custodian()
        records = self.sudo()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partners = Partner.browse(records.mapped("res_id")).exists()
        blocked = [
            f"{partner.display_name}: {'; '.join(reasons)}"
            for partner in partners
            if (reasons := partner._lifecycle_anonymize_blockers())
        ]
        if blocked:
            raise UserError(
                self.env._(
                    "Nothing was erased: these customers have open documents "
                    "since they were proposed. Discard them or wait.\n%(blocked)s",
                    blocked="\n".join(blocked),
                )
            )
        erased = (
            self.env["privacy.log"]
            .sudo()
            .search_fetch(
                [
                    ("crm_action", "=", "anonymize"),
                    ("crm_partner_ref", "in", partners.ids),
                ],
                ["crm_partner_ref"],
            )
        )
        already = set(erased.mapped("crm_partner_ref"))
        for record in records:
            partner = partners.filtered(lambda p, rid=record.res_id: p.id == rid)
            if not partner:
                continue
            if partner.id not in already:
                partner.with_context(
                    lifecycle_erasure_reason=self.env._(
                        "retention period of %(company)s, approved by %(user)s",
                        company=record.lifecycle_company_id.name,
                        user=self.env.user.name,
                    )
                )._lifecycle_anonymize()
            (partner | partner.child_ids).action_archive()
        records.unlink()
        return True
