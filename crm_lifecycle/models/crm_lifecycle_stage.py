# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CrmLifecycleStage(models.Model):
    _name = "crm.lifecycle.stage"
    _description = "Customer Lifecycle Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical identifier used by rules, reports and other modules.",
    )
    sequence = fields.Integer(
        default=10,
        help="Order of the stages: automatic rules move customers forward "
        "(to a higher sequence) unless they allow moving back.",
    )
    kind = fields.Selection(
        [
            ("prospect", "Prospect"),
            ("customer", "Customer"),
            ("at_risk", "At risk"),
            ("lost", "Lost"),
        ],
        required=True,
        default="prospect",
    )
    description = fields.Text(translate=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the customers kanban.",
    )
    color = fields.Integer()
    is_default = fields.Boolean(
        string="Default Stage",
        help="Stage given to a customer that enters the lifecycle when no rule "
        "places it elsewhere.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Activity on Entry",
        help="Schedule this activity for the customer's salesperson when a "
        "customer enters the stage (e.g. a call to win back a customer at risk).",
    )
    activity_summary = fields.Char(translate=True)
    activity_delay_days = fields.Integer(
        string="Activity Due In (Days)",
        default=1,
        help="Days between entering the stage and the activity's deadline.",
    )
    entry_action_ids = fields.One2many(
        "crm.lifecycle.entry.action",
        "stage_id",
        string="Actions on Entering",
        context={"active_test": False},
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the stage between all companies.",
    )

    _code_uniq = models.UniqueIndex(
        "(lower(code))", "The code of a lifecycle stage must be unique."
    )

    @api.constrains("code")
    def _check_code(self):
        for stage in self:
            if not stage.code.replace("_", "").isalnum():
                raise ValidationError(
                    self.env._(
                        "The code “%(code)s” may only contain letters, digits and "
                        "underscores.",
                        code=stage.code,
                    )
                )

    @api.constrains("is_default", "company_id", "active")
    def _check_single_default(self):
        for stage in self.filtered(lambda s: s.is_default and s.active):
            others = self.search_count(
                [
                    ("id", "!=", stage.id),
                    ("is_default", "=", True),
                    ("company_id", "=", stage.company_id.id),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._("Only one lifecycle stage can be the default stage.")
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        partner_model = self.env["res.partner"].with_context(active_test=False)
        if "lifecycle_stage_id" not in partner_model._fields:
            return
        counts = dict(
            partner_model.sudo()._read_group(
                [("lifecycle_stage_id", "in", self.ids)],
                ["lifecycle_stage_id"],
                ["__count"],
            )
        )
        used = self.filtered(lambda stage: counts.get(stage))
        if used:
            raise UserError(
                self.env._(
                    "You cannot delete the lifecycle stage(s) %(stages)s: "
                    "%(count)s customer(s) are in them. Move those customers "
                    "to another stage or archive the stage instead.",
                    stages=", ".join(used.mapped("name")),
                    count=sum(counts[stage] for stage in used),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env.registry.clear_cache()  # rules cache the stage sequences
        return stages

    def write(self, vals):
        res = super().write(vals)
        if "sequence" in vals or "active" in vals:
            self.env.registry.clear_cache()
        return res

    @api.model
    def _schedule_entry_activities(self, partners):
        """Customers entering a stage with an activity type (e.g. "At risk") get
        that activity, for their salesperson (else the user moving them, unless
        it is the system): one ``activity_schedule`` per stage and user."""
        today = fields.Date.context_today(self)
        current_user = self.env.user if not self.env.user._is_superuser() else False
        for stage, stage_partners in partners.grouped("lifecycle_stage_id").items():
            if not stage.activity_type_id:
                continue
            for user, user_partners in stage_partners.grouped(
                lambda partner: partner.user_id or current_user
            ).items():
                if not user:
                    continue
                user_partners.sudo().activity_schedule(
                    activity_type_id=stage.activity_type_id.id,
                    summary=stage.activity_summary or stage.name,
                    date_deadline=today + timedelta(days=stage.activity_delay_days),
                    user_id=user.id,
                )

    @api.model
    def _get_by_code(self, code):
        """Return the active stage with this code (empty recordset if none)."""
        return self.search([("code", "=", code)], limit=1)
