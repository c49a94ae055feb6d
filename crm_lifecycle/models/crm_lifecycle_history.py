# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLifecycleHistory(models.Model):
    """One row per lifecycle move of a customer: the audit trail of the stages."""

    _name = "crm.lifecycle.history"
    _description = "Customer Lifecycle History"
    _order = "date desc, id desc"
    _rec_name = "stage_to_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    stage_from_id = fields.Many2one(
        "crm.lifecycle.stage", string="From Stage", ondelete="restrict"
    )
    stage_to_id = fields.Many2one(
        "crm.lifecycle.stage", string="To Stage", required=True, ondelete="restrict"
    )
    stage_to_kind = fields.Selection(
        related="stage_to_id.kind", store=True, precompute=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    date_end = fields.Datetime(
        string="Left Stage On",
        help="When the customer left the stage of this move (empty: still in it).",
    )
    duration_days = fields.Float(
        string="Days in Stage",
        compute="_compute_duration_days",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Days spent in the target stage, once the customer left it.",
    )
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user
    )
    trigger = fields.Selection(
        [
            ("manual", "Manual"),
            ("rule", "Scheduled rule"),
            ("event", "Event"),
        ],
        required=True,
        default="manual",
    )
    rule_id = fields.Many2one("crm.lifecycle.rule", ondelete="set null")
    event_id = fields.Many2one("crm.lifecycle.event", ondelete="set null")
    reason = fields.Text()
    res_model = fields.Char(string="Source Model")
    res_id = fields.Many2oneReference(string="Source ID", model_field="res_model")

    _partner_date_idx = models.Index("(partner_id, date DESC)")

    @api.depends("date", "date_end")
    def _compute_duration_days(self):
        for move in self:
            move.duration_days = (
                (move.date_end - move.date).total_seconds() / 86400
                if move.date and move.date_end
                else 0.0
            )

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
