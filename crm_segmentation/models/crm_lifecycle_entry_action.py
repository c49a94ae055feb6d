# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLifecycleEntryAction(models.Model):
    """Actions on entering a segment cell, beside those of the stages."""

    _inherit = "crm.lifecycle.entry.action"

    cell_id = fields.Many2one(
        "crm.segment.cell", string="Segment", index=True, ondelete="cascade"
    )
    matrix_id = fields.Many2one(related="cell_id.matrix_id")

    @api.model
    def _entry_target_fields(self):
        return super()._entry_target_fields() + ["cell_id"]

    @api.depends("cell_id.company_id")
    def _compute_company_id(self):
        with_cell = self.filtered("cell_id")
        for action in with_cell:
            action.company_id = action.cell_id.company_id
        return super(CrmLifecycleEntryAction, self - with_cell)._compute_company_id()
