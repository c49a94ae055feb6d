# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class Rma(models.Model):
    _inherit = "rma"

    complaint_id = fields.Many2one(
        "crm.complaint",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The complaint this return was created from.",
    )

    def write(self, vals):
        """The RMA's refund is a credit note of its complaint (its amount
        counts as refunded there); an RMA reaching its end may resolve the
        complaint."""
        result = super().write(vals)
        linked = self.filtered("complaint_id")
        if linked and "refund_id" in vals:
            for rma in linked.filtered("refund_id"):
                refund = rma.sudo().refund_id
                if not refund.complaint_origin_id:
                    refund.complaint_origin_id = rma.complaint_id
        if linked and "state" in vals:
            linked.complaint_id._complaint_rma_progress()
        return result
