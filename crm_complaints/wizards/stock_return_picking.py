# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    complaint_id = fields.Many2one("crm.complaint", readonly=True)

    @api.model
    def default_get(self, fields):
        res = super().default_get(fields)
        complaint_id = self.env.context.get("complaint_id")
        if complaint_id and "complaint_id" in fields:
            # the context comes from the client: only a complaint the user reads
            complaint = self.env["crm.complaint"].browse(int(complaint_id))
            complaint.check_access("read")
            res["complaint_id"] = complaint.id
        return res

    def _create_return(self):
        """Link the return created from a complaint to it."""
        new_picking = super()._create_return()
        if self.complaint_id:
            self.complaint_id.check_access("read")
            new_picking.complaint_origin_id = self.complaint_id
            # sudo: the warehouse may only read the complaint
            self.complaint_id.sudo().message_post(
                body=self.env._(
                    "Return created: %(picking)s", picking=new_picking.display_name
                )
            )
        return new_picking
