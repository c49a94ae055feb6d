# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmSegmentHistory(models.Model):
    """A customer's move between two cells of a matrix (from nothing when it
    enters the matrix, to nothing when it leaves it): the migration analysis."""

    _name = "crm.segment.history"
    _description = "Customer Segment Move"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    matrix_id = fields.Many2one(
        "crm.segment.matrix", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", related="matrix_id.company_id", store=True
    )
    cell_from_id = fields.Many2one(
        "crm.segment.cell", string="From Segment", ondelete="cascade"
    )
    cell_to_id = fields.Many2one(
        "crm.segment.cell", string="To Segment", ondelete="cascade"
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    is_manual = fields.Boolean(string="Set by Hand")

    def _segment_entered(self):
        """Customers just entered the cell ``cell_to_id`` of these history rows
        (one row per customer and matrix; leaving a matrix has no cell to
        enter and is ignored). Called once per recompute with every customer
        it moved, set-based, and after a move by hand. Runs the cells' actions
        on entering.

        Extend it with ``super()`` to react to customers entering a segment;
        an automation rule on ``crm.segment.membership`` watching ``cell_id``
        works too (see ``crm.segment.membership._segment_run_automations``)."""
        return self.env["crm.lifecycle.entry.action"]._run_entries(
            self, "cell_to_id", "cell_id"
        )

    def _segment_left(self):
        """Customers just left the cell ``cell_from_id`` of these history rows
        (to another cell, or out of the matrix), set-based as
        ``_segment_entered``; called before it. Does nothing here: extend it
        with ``super()`` (the e-mail marketing bridge unsubscribes them from
        the mailing lists following the cell)."""
        return True
