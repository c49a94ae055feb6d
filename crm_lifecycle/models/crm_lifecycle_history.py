# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..bulk_insert import ORM_INSERT_BATCH, create_rows


class CrmLifecycleHistory(models.Model):
    """One row per lifecycle move of a customer: the audit trail of the stages.
    A customer has a stage in each company: ``company_id`` is the company whose
    stage moved."""

    _name = "crm.lifecycle.history"
    _inherit = ["crm.lifecycle.source.mixin"]
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
            ("install", "Installation"),
        ],
        required=True,
        default="manual",
    )
    rule_id = fields.Many2one("crm.lifecycle.rule", ondelete="set null")
    event_id = fields.Many2one("crm.lifecycle.event", ondelete="set null")
    reason = fields.Text(
        string="Note", help="What the person who moved the customer wrote."
    )
    reason_display = fields.Text(
        string="Reason",
        compute="_compute_reason_display",
        compute_sudo=True,  # who reads the history may not read the rules
        help="What caused the move, in the reader's language.",
    )

    _partner_date_idx = models.Index("(partner_id, date DESC)")

    @api.depends_context("lang")
    @api.depends("trigger", "event_id", "rule_id", "res_model", "res_id", "reason")
    def _compute_reason_display(self):
        """Event (with its first document), rule and note, rendered from what
        is stored, so each reader reads them in its language."""
        sources = {}
        for model, moves in self.grouped("res_model").items():
            if model and model in self.env:
                records = self.env[model].sudo().browse(moves.mapped("res_id")).exists()
                sources.update(
                    {(model, record.id): record.display_name for record in records}
                )
        for move in self:
            parts = []
            if move.trigger == "install":
                parts.append(
                    self.env._("Initial placement when the lifecycle was installed")
                )
            if move.event_id:
                source = sources.get((move.res_model, move.res_id))
                name = move.event_id.name
                parts.append(f"{name}: {source}" if source else name)
            if move.rule_id:
                parts.append(self.env._("rule “%(rule)s”", rule=move.rule_id.name))
            if move.reason:
                parts.append(move.reason)
            move.reason_display = " — ".join(parts)

    @api.depends("date", "date_end")
    def _compute_duration_days(self):
        for move in self:
            move.duration_days = (
                (move.date_end - move.date).total_seconds() / 86400
                if move.date and move.date_end
                else 0.0
            )

    @api.model
    def _log_moves(self, partners, previous, move=None, reasons=None):
        """Record the moves of partners that just changed stage: the stays
        they left are closed, a row is added for each new stage (clearing the
        stage only closes the current stay).

        :param previous: {partner id: the stage id it left}
        :param move: details of an automatic move (trigger, rule, event,
            first source document per partner), see ``res.partner._lifecycle_move``
        :param reasons: {partner id: why it moved}
        """
        move = move or {}
        reasons = reasons or {}
        # the moment the stage was written (one value for the partners of a
        # write): "in stage since" and the history agree to the microsecond
        now = (
            next(
                (p.lifecycle_date_stage for p in partners if p.lifecycle_date_stage),
                None,
            )
            or fields.Datetime.now()
        )
        # each company has its own stage of a customer: the stays of the
        # current company's stage
        company = self.env.company
        self._close_stays(partners, company, now)
        vals_list = []
        for partner in partners.filtered("lifecycle_stage_id"):
            res_model, res_id = move.get("sources", {}).get(partner.id, (False, False))
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "stage_from_id": previous.get(partner.id) or False,
                    "stage_to_id": partner.lifecycle_stage_id.id,
                    "date": now,
                    "user_id": self.env.uid,
                    "trigger": move.get("trigger", "manual"),
                    "rule_id": move.get("rule_id") or False,
                    "event_id": move.get("event_id") or False,
                    "reason": reasons.get(partner.id) or False,
                    "res_model": res_model,
                    "res_id": res_id,
                }
            )
        if len(vals_list) > ORM_INSERT_BATCH:
            # a nightly batch: one INSERT (create() inserts by hundreds), with
            # the stored fields create() would compute
            kinds = {stage.id: stage.kind for stage in partners.lifecycle_stage_id}
            entries = create_rows(
                self,
                [
                    dict(
                        vals,
                        stage_to_kind=kinds[vals["stage_to_id"]],
                        duration_days=0.0,
                    )
                    for vals in vals_list
                ],
            )
            if entries is not None:
                entries._run_create_automations()
                return entries
        return self.create(vals_list)

    def _close_stays(self, partners, company, now):
        """Close the open stays of these partners in the stage of ``company``
        (they leave it ``now``): for a nightly batch, one UPDATE (the ORM
        writes by hundreds), else ``write()``."""
        domain = [
            ("partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("date_end", "=", False),
        ]
        if len(partners) <= ORM_INSERT_BATCH:
            self.search(domain).write({"date_end": now})
            return
        self.flush_model(["partner_id", "company_id", "date", "date_end"])
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE crm_lifecycle_history
                   SET date_end = %(now)s,
                       duration_days = EXTRACT(EPOCH FROM %(now)s - date) / 86400,
                       write_uid = %(uid)s,
                       write_date = %(write_date)s
                 WHERE partner_id = ANY(%(ids)s)
                   AND company_id = %(company)s
                   AND date_end IS NULL
             RETURNING id
                """,
                now=now,
                uid=self.env.uid,
                write_date=self.env.cr.now(),
                ids=partners.ids,
                company=company.id,
            )
        )
        stays = self.browse(row[0] for row in rows)
        stays.invalidate_recordset(
            ["date_end", "duration_days", "write_uid", "write_date"]
        )
        # their duration is set above: not computed again (by 1000 stays)
        with self.env.protecting([self._fields["duration_days"]], stays):
            stays.modified(["date_end", "duration_days"])

    def _run_create_automations(self):
        """Run the automation rules (``base.automation``) on creation of
        history rows for these rows, inserted without ``create()`` (which
        Odoo patches to run them)."""
        Automation = self.env["base.automation"]
        for automation in Automation._get_actions(
            self, ("on_create", "on_create_or_write")
        ).with_context(old_values=None):
            automation._process(automation._filter_post(self, feedback=True))

    def _lifecycle_entered(self):
        """Customers just entered the stage ``stage_to_id`` of these history
        rows (one row per customer and move, set-based: a nightly batch calls
        it once with all of them). Runs the stages' actions on entering.

        Extend it with ``super()`` to react to customers entering a stage
        (e.g. push them to another system); an automation rule on
        ``res.partner`` watching ``lifecycle_stage_id`` works too."""
        return self.env["crm.lifecycle.entry.action"]._run_entries(
            self, "stage_to_id", "stage_id"
        )
