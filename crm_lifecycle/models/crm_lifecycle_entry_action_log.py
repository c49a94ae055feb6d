# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLifecycleEntryActionLog(models.Model):
    """One action run for one entry (a customer entering a stage or a segment,
    i.e. one history row): the proof it ran once, and why it failed if it did.
    Claimed in bulk by ``crm.lifecycle.entry.action._claim``."""

    _name = "crm.lifecycle.entry.action.log"
    _description = "Action on Entering: Run"
    _order = "id desc"
    _rec_name = "action_id"

    action_id = fields.Many2one(
        "crm.lifecycle.entry.action", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="action_id.company_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    entry_model = fields.Char(required=True)
    entry_id = fields.Many2oneReference(model_field="entry_model", required=True)
    state = fields.Selection(
        [("pending", "Running"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="pending",
    )
    message = fields.Text(string="Reason")

    _entry_uniq = models.UniqueIndex(
        "(action_id, entry_model, entry_id)",
        "An action runs once for each entry.",
    )
