# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLifecycleSourceMixin(models.AbstractModel):
    """A record about a customer that points to the document it came from (an
    interaction logged from an order, a stage move caused by an invoice...)."""

    _name = "crm.lifecycle.source.mixin"
    _description = "Customer Record with a Source Document"

    res_model = fields.Char(string="Source Model")
    res_id = fields.Many2oneReference(string="Source ID", model_field="res_model")

    def action_open_source(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
