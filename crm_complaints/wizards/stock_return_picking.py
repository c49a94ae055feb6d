# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class StockReturnPicking(models.TransientModel):
    _name = "stock.return.picking"
    _inherit = ["stock.return.picking", "crm.complaint.wizard.mixin"]

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
