# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PrivacyLookupWizard(models.TransientModel):
    """Settings > Privacy: when the person looked up is a customer, the lookup
    offers the customer's complete access request (export) and erasure
    request (anonymisation), besides archiving or deleting the records found
    one by one. Both land in the same register as the lookup (``privacy.log``)."""

    _inherit = "privacy.lookup.wizard"

    crm_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_crm_partner_id",
        help="The customer the records found belong to, when there is one.",
    )

    def _get_query_models_blacklist(self):
        # the register itself is not what a lookup erases (its customer
        # lines cannot be deleted)
        return [*super()._get_query_models_blacklist(), "privacy.log"]

    @api.depends("line_ids")
    def _compute_crm_partner_id(self):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for wizard in self:
            found = Partner.browse(
                wizard.line_ids.filtered(
                    lambda line: line.res_model == "res.partner"
                    and not line.is_unlinked
                ).mapped("res_id")
            ).exists()
            # the staff and the companies of the database are no customers
            customers = found.commercial_partner_id.filtered(
                lambda partner: not partner.user_ids.filtered(lambda u: not u.share)
                and not partner.ref_company_ids
            )
            wizard.crm_partner_id = customers if len(customers) == 1 else False

    def action_crm_export(self):
        self.ensure_one()
        return self.crm_partner_id.action_lifecycle_export_personal_data()

    def action_crm_anonymize(self):
        """The complete erasure of the customer (its contacts, documents'
        conversations, leads, interactions...), logged with what the lookup
        had found; then the lookup runs again and shows what is left."""
        self.ensure_one()
        customer = self.crm_partner_id
        customer.with_context(
            lifecycle_erasure_reason=self.env._("privacy lookup")
        ).action_lifecycle_anonymize()
        register = (
            self.env["privacy.log"]
            .sudo()
            .search(
                [
                    ("crm_partner_ref", "=", customer.id),
                    ("crm_action", "=", "anonymize"),
                ],
                limit=1,
            )
        )
        register.records_description = self.records_description
        return self.action_lookup()
