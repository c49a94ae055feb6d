# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class AccountMoveReversal(models.TransientModel):
    _name = "account.move.reversal"
    _inherit = ["account.move.reversal", "crm.complaint.wizard.mixin"]

    def reverse_moves(self, is_modify=False):
        """Link the credit notes created from a complaint to it."""
        action = super().reverse_moves(is_modify=is_modify)
        if self.complaint_id:
            self.complaint_id.check_access("read")
            refunds = self.new_move_ids.filtered(lambda m: m.move_type == "out_refund")
            refunds.write({"complaint_origin_id": self.complaint_id.id})
            if refunds:
                # sudo: the accountant may only read the complaint
                self.complaint_id.sudo().message_post(
                    body=self.env._(
                        "Credit note issued: %(notes)s",
                        notes=", ".join(refunds.mapped("display_name")),
                    )
                )
        return action
