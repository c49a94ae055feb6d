# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_lifecycle.models.res_partner_need_to_know import MONEY_GROUPS

from ..figures_sql import set_fillfactor

# free room in each page of the memberships (see init)
MEMBERSHIP_FILLFACTOR = 50


class CrmSegmentMembership(models.Model):
    """The cell of a customer in a matrix. Written in bulk by the matrix
    recompute; changing the cell by hand locks it (the recompute keeps it)."""

    _name = "crm.segment.membership"
    _description = "Customer Segment Membership"
    _order = "matrix_id, cell_id, partner_id"
    # the customer names the membership (breadcrumbs, links), not its id
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    partner_email = fields.Char(related="partner_id.email", string="Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_country_id = fields.Many2one(
        related="partner_id.country_id", string="Country"
    )
    matrix_id = fields.Many2one(
        "crm.segment.matrix", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", related="matrix_id.company_id", store=True
    )
    cell_id = fields.Many2one(
        "crm.segment.cell",
        string="Segment",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('matrix_id', '=', matrix_id)]",
    )
    row_level_id = fields.Many2one(related="cell_id.row_level_id", store=True)
    col_level_id = fields.Many2one(related="cell_id.col_level_id", store=True)
    locked = fields.Boolean(
        help="Set by hand: the recompute keeps the customer in this segment.",
    )
    date = fields.Datetime(string="In Segment Since", default=fields.Datetime.now)
    currency_id = fields.Many2one(related="company_id.currency_id")
    monetary = fields.Monetary(
        string="Revenue",
        currency_field="currency_id",
        readonly=True,
        help="Net amount purchased in the RFM window (at the last recompute).",
    )
    clv_value = fields.Monetary(
        string="Predicted Value",
        currency_field="currency_id",
        readonly=True,
        aggregator="avg",
    )
    # copied from the customer at each recompute, as the revenue and the
    # predicted value: the heat map sums the memberships alone (a join to
    # res_partner, a wide table, would read all of it)
    clv_value_at_risk = fields.Monetary(
        string="Value at Risk",
        currency_field="currency_id",
        readonly=True,
        groups=MONEY_GROUPS,
    )
    color = fields.Integer(related="cell_id.color")

    def init(self):
        res = super().init()
        # the nightly recompute rewrites the revenue and predicted value of
        # most memberships every day: the room left on each page keeps the
        # new row version there, without new entries in the indexes (HOT)
        set_fillfactor(self.env.cr, self._table, MEMBERSHIP_FILLFACTOR)
        return res

    _partner_matrix_uniq = models.UniqueIndex(
        "(partner_id, matrix_id)", "A customer is in one segment of a matrix."
    )

    @api.constrains("cell_id", "matrix_id")
    def _check_cell(self):
        for membership in self:
            if membership.cell_id.matrix_id != membership.matrix_id:
                raise ValidationError(
                    self.env._("The segment must belong to the membership's matrix.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        memberships = super().create(vals_list)
        memberships._log_manual_moves({})
        return memberships

    def write(self, vals):
        if "cell_id" not in vals:
            return super().write(vals)
        previous = {membership.id: membership.cell_id.id for membership in self}
        # a segment chosen by hand holds through the recomputations
        vals = dict(vals, date=fields.Datetime.now())
        vals.setdefault("locked", True)
        res = super().write(vals)
        self.filtered(lambda m: m.cell_id.id != previous[m.id])._log_manual_moves(
            previous
        )
        return res

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_open_customer(self):
        """The customer of the membership: a row of the heat map's drill-down
        opens the customer, not the membership."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_segment_schedule_activity(self):
        """Schedule an activity on the customers of the selected rows."""
        return self.partner_id.action_segment_schedule_activity()

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    def _segment_run_automations(self):
        """Run the automation rules (``base.automation``) on create or update
        of memberships watching ``cell_id`` (or every field) for these
        memberships, whose cell the recompute just wrote by SQL: a rule reacts
        to a customer entering a segment whoever placed it."""
        if not self:
            return
        Automation = self.env["base.automation"]
        automations = Automation._get_actions(
            self, ("on_create_or_write", "on_create", "on_write")
        )
        for automation in automations.with_context(old_values=None):
            watched = automation.sudo().trigger_field_ids.mapped("name")
            if watched and "cell_id" not in watched:
                continue
            automation._process(automation._filter_post(self, feedback=True))

    def _log_manual_moves(self, previous):
        entries = (
            self.env["crm.segment.history"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": membership.partner_id.id,
                        "matrix_id": membership.matrix_id.id,
                        "cell_from_id": previous.get(membership.id) or False,
                        "cell_to_id": membership.cell_id.id,
                        "is_manual": True,
                    }
                    for membership in self
                ]
            )
        )
        entries.filtered("cell_from_id")._segment_left()
        entries._segment_entered()
