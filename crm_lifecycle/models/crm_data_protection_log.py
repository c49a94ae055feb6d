# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmDataProtectionLog(models.Model):
    """Register of the access (export) and erasure (anonymisation) requests
    handled for customers. It outlives the customer's personal data: it keeps
    the partner's id, never its name."""

    _name = "crm.data.protection.log"
    _description = "Customer Data Protection Log"
    _order = "date desc, id desc"
    _rec_name = "action"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", ondelete="set null", index=True
    )
    partner_ref = fields.Integer(string="Customer ID", required=True)
    action = fields.Selection(
        [("export", "Personal data exported"), ("anonymize", "Customer anonymized")],
        required=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="By", required=True, default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    details = fields.Text()
    attachment_id = fields.Many2one(
        "ir.attachment", string="Export", ondelete="set null"
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_register(self):
        raise UserError(self.env._("The data protection register cannot be deleted."))
