# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# What the register records about customers, next to the privacy lookups of
# Odoo (``crm_action`` empty).
CRM_ACTIONS = [
    ("export", "Personal data exported"),
    ("anonymize", "Customer anonymized"),
    ("consent", "Marketing consent changed by the customer"),
    ("retention_proposed", "Proposed for erasure (retention)"),
    ("retention_discarded", "Erasure proposal discarded"),
]


class PrivacyLog(models.Model):
    """Odoo's privacy log is the one register: its lookups (Settings >
    Privacy) and the requests handled for customers (access, erasure, consent
    given or withdrawn in the portal, retention decisions). A customer entry
    keeps the customer's id and, like Odoo's own entries, a masked name and
    e-mail address, never the name or the address itself."""

    _inherit = "privacy.log"
    _order = "date desc, id desc"

    crm_partner_id = fields.Many2one(
        "res.partner", string="Customer", ondelete="set null", index="btree_not_null"
    )
    crm_partner_ref = fields.Integer(string="Customer ID", index="btree_not_null")
    crm_action = fields.Selection(CRM_ACTIONS, string="Request", index=True)
    crm_company_id = fields.Many2one(
        "res.company", string="Company", index="btree_not_null"
    )
    crm_attachment_id = fields.Many2one(
        "ir.attachment", string="Export", ondelete="set null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the customers of all the entries read together (one prefetch)
        partner_ids = [
            vals["crm_partner_id"]
            for vals in vals_list
            if vals.get("crm_action") and vals.get("crm_partner_id")
        ]
        for vals in vals_list:
            if not vals.get("crm_action"):
                continue
            partner = (
                self.env["res.partner"]
                .sudo()
                .browse(vals.get("crm_partner_id"))
                .with_prefetch(partner_ids)
            )
            vals.setdefault("crm_partner_ref", partner.id)
            vals.setdefault(
                "crm_company_id",
                (partner.commercial_partner_id.company_id or self.env.company).id,
            )
            # masked by privacy_lookup (see _anonymize_*)
            vals.setdefault(
                "anonymized_name",
                partner.name or self.env._("Customer %(id)s", id=partner.id),
            )
            vals.setdefault("anonymized_email", partner.email or "")
        return super().create(vals_list)

    def _anonymize_email(self, label):
        # a customer may have no e-mail address: privacy_lookup would store
        # its error message
        if not label:
            return ""
        if "@" not in label:
            return self._anonymize_name(label)
        return super()._anonymize_email(label)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_register(self):
        if any(log.crm_action for log in self):
            raise UserError(
                self.env._("The data protection register cannot be deleted.")
            )
