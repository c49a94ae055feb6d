# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmSegmentCell(models.Model):
    """A segment: one pair of levels of a matrix, with what to do about the
    customers in it."""

    _name = "crm.segment.cell"
    _description = "Customer Segment"
    _order = "matrix_id, row_sequence, col_sequence, id"

    name = fields.Char(required=True, translate=True)
    matrix_id = fields.Many2one(
        "crm.segment.matrix", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="matrix_id.company_id", store=True)
    row_level_id = fields.Many2one(
        "crm.segment.level", required=True, ondelete="cascade"
    )
    col_level_id = fields.Many2one(
        "crm.segment.level", string="Column Level", required=True, ondelete="cascade"
    )
    row_sequence = fields.Integer(compute="_compute_sequences", store=True)
    col_sequence = fields.Integer(compute="_compute_sequences", store=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    recommended_action = fields.Text(translate=True)
    entry_action_ids = fields.One2many(
        "crm.lifecycle.entry.action",
        "cell_id",
        string="Actions on Entering",
        context={"active_test": False},
    )
    customer_count = fields.Integer(string="Customers", compute="_compute_figures")
    revenue = fields.Monetary(
        compute="_compute_figures",
        currency_field="currency_id",
        help="Net amount purchased in the RFM window by the customers of the cell.",
    )
    avg_clv = fields.Monetary(
        string="Average Predicted Value",
        compute="_compute_figures",
        currency_field="currency_id",
    )
    currency_id = fields.Many2one(related="matrix_id.company_id.currency_id")

    _cell_uniq = models.UniqueIndex(
        "(matrix_id, row_level_id, col_level_id)",
        "A matrix has one cell per pair of levels.",
    )

    @api.depends(
        "row_level_id.sequence",
        "row_level_id.is_no_data",
        "col_level_id.sequence",
        "col_level_id.is_no_data",
    )
    def _compute_sequences(self):
        for cell in self:
            row, col = cell.row_level_id, cell.col_level_id
            cell.row_sequence = 10000 if row.is_no_data else row.sequence
            cell.col_sequence = 10000 if col.is_no_data else col.sequence

    def _compute_figures(self):
        figures = {
            cell: (count, revenue, clv)
            for cell, count, revenue, clv in self.env[
                "crm.segment.membership"
            ]._read_group(
                [("cell_id", "in", self.ids)],
                ["cell_id"],
                ["__count", "monetary:sum", "clv_value:avg"],
            )
        }
        for cell in self:
            cell.customer_count, cell.revenue, cell.avg_clv = figures.get(
                cell, (0, 0.0, 0.0)
            )

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.res_partner_action_customer"
        )
        action.update(
            {
                # the breadcrumb names the segment (the web client shows
                # display_name, "Customers" for the action read above)
                "name": self.display_name,
                "display_name": self.display_name,
                "domain": [("segment_membership_ids.cell_id", "=", self.id)],
                "context": {"default_is_company": True},
            }
        )
        return action
