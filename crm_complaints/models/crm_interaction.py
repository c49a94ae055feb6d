# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmInteraction(models.Model):
    _inherit = "crm.interaction"

    interaction_type = fields.Selection(
        selection_add=[("complaint_closed", "Complaint closed")],
        ondelete={"complaint_closed": "set default"},
    )

    @api.model
    def _department_by_type(self):
        return {**super()._department_by_type(), "complaint_closed": "service"}

    @api.model
    def _department_by_model(self):
        return {**super()._department_by_model(), "crm.complaint": "service"}
