# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.query import Query
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil as safe_dateutil
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)


class CrmLifecycleRule(models.Model):
    """Moves customers to a stage when they match a domain.

    Rules are evaluated in sequence order; for each customer the first rule
    whose domain matches and whose move is allowed (forward-only unless
    ``allow_backward``) decides the stage, even when it keeps the current one.
    """

    _name = "crm.lifecycle.rule"
    _description = "Customer Lifecycle Rule"
    _order = "sequence, id"
    # Rules are matched in Python (values in cache) for up to this many
    # customers, in one SQL query beyond.
    _python_match_limit = 50

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to apply the rule to the customers of every company.",
    )
    description = fields.Text(translate=True)
    filter_domain = fields.Char(
        string="Condition",
        required=True,
        default="[]",
        help="Customers (commercial partners) matching this domain move to the "
        "target stage. The behaviour facts (orders, invoiced amount, days since "
        "the last purchase...) can be used.",
    )
    event_ids = fields.Many2many(
        "crm.lifecycle.event",
        string="Triggering Events",
        help="Evaluate the rule only when one of these events happens. Leave "
        "empty to evaluate it on every event and every night.",
    )
    stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        string="Target Stage",
        required=True,
        ondelete="restrict",
    )
    allow_backward = fields.Boolean(
        string="Allow Moving Back",
        help="By default a rule only moves customers forward (to a stage with a "
        "higher sequence). Tick to let it move them back, e.g. to win back a "
        "lost customer that orders again.",
    )
    move_count = fields.Integer(compute="_compute_move_count", string="Moves")

    def _compute_move_count(self):
        counts = dict(
            self.env["crm.lifecycle.history"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.move_count = counts.get(rule, 0)

    @api.constrains("filter_domain")
    def _check_filter_domain(self):
        for rule in self:
            try:
                rule._get_domain().validate(self.env["res.partner"])
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The condition of the rule “%(rule)s” is not a valid domain "
                        "on customers: %(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    @api.model
    def _get_eval_context(self):
        today = fields.Date.context_today(self)
        return {
            "datetime": safe_datetime,
            "dateutil": safe_dateutil,
            "relativedelta": safe_dateutil.relativedelta.relativedelta,
            "context_today": lambda: today,
            "uid": self.env.uid,
            "user": self.env.user,
        }

    @api.model
    def _parse_domain(self, filter_domain):
        """The Domain of a condition, cached per day (the condition may use
        context_today) and user: rules are read on every customer event."""
        return self._parse_domain_cached(
            filter_domain or "[]", fields.Date.context_today(self), self.env.uid
        )

    @api.model
    @tools.ormcache("filter_domain", "today", "uid")
    def _parse_domain_cached(self, filter_domain, today, uid):
        domain = safe_eval(filter_domain, self._get_eval_context())
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a domain must be a list"))
        return Domain(domain)

    def _get_domain(self):
        self.ensure_one()
        return self._parse_domain(self.filter_domain)

    # Rules are read on every customer event: their definition is cached (and
    # the cache cleared when rules, stages or events change).

    @api.model
    @tools.ormcache()
    def _get_all_rules_data(self):
        partners = self.env["res.partner"]
        derived = partners._lifecycle_derived_facts()
        facts = set(partners._lifecycle_fact_fields())
        for group in partners._lifecycle_fact_groups().values():
            facts.update(group.live)
        data = []
        for rule in self.sudo().search([]):
            used = set()
            try:
                for condition in rule._get_domain().iter_conditions():
                    path = condition.field_expr.split(".")
                    if path[0] == "commercial_partner_id" and len(path) > 1:
                        path = path[1:]
                    fname = derived.get(path[0], path[0])
                    if fname in facts:
                        used.add(fname)
            except Exception:  # noqa: BLE001 - an invalid rule matches nothing
                used = set()
            data.append(
                {
                    "id": rule.id,
                    "company_id": rule.company_id.id,
                    "filter_domain": rule.filter_domain,
                    "stage_id": rule.stage_id.id,
                    "allow_backward": rule.allow_backward,
                    "events": frozenset(rule.event_ids.mapped("code")),
                    "used_facts": frozenset(used),
                }
            )
        return tuple(data)

    @api.model
    def _get_rules_data(self, event_code=None, listening=False):
        """The active rules to evaluate for an event (None: the nightly run),
        in order, for the current company: its own rules and those of every
        company (each company has its own stage of a shared customer).
        ``listening``: only the rules that name the event."""
        company_id = self.env.company.id
        rules = [
            rule
            for rule in self._get_all_rules_data()
            if rule["company_id"] in (False, company_id)
        ]
        if listening:
            return [rule for rule in rules if event_code in rule["events"]]
        if event_code:
            return [
                rule
                for rule in rules
                if not rule["events"] or event_code in rule["events"]
            ]
        return [rule for rule in rules if not rule["events"]]

    @api.model
    def _get_used_facts(self, event_code=None):
        """The facts the rules evaluated on this event look at."""
        used = set()
        for rule in self._get_rules_data(event_code):
            used |= rule["used_facts"]
        return used

    @api.model
    @tools.ormcache()
    def _get_stage_sequences(self):
        stages = self.env["crm.lifecycle.stage"].sudo().with_context(active_test=False)
        return {stage.id: stage.sequence for stage in stages.search([])}

    # ------------------------------------------------------------------
    # MATCHING: which customers each rule moves
    # ------------------------------------------------------------------

    @api.model
    def _decide_stages(self, partners, event_code=None):
        """The stage of each partner, decided by the first rule (in order) that
        matches it and may move it: forward only unless the rule allows moving
        back; a rule that matches and keeps the current stage settles the
        partner too.

        :param partners: commercial partners (not locked)
        :param event_code: the event evaluated, None for the nightly run
        :return: ({rule id: [ids of the partners it moves]}, partners that no
            rule settled and that have no stage)
        """
        rules = self._get_rules_data(event_code)
        sequences = self._get_stage_sequences()
        # many partners: all the rules in one query; a few (an event): in
        # Python, each rule only for the partners no earlier rule settled
        matches = (
            self._match_partners(rules, partners)
            if len(partners) > self._python_match_limit
            else None
        )
        current = {partner.id: partner.lifecycle_stage_id.id for partner in partners}
        decisions = defaultdict(list)
        pending = partners.ids  # the partners no rule has settled yet
        for index, rule in enumerate(rules):
            if not pending:
                break
            if matches is None:
                matched = self._filter_partners(rule, partners.browse(pending)).ids
            else:
                matched = [pid for pid in pending if matches[pid][index]]
            settled = set()
            target = rule["stage_id"]
            for partner_id in matched:
                stage_id = current[partner_id]
                if target == stage_id:
                    settled.add(partner_id)  # the rule keeps the customer there
                elif (
                    rule["allow_backward"]
                    or not stage_id
                    or sequences.get(target, 0) > sequences.get(stage_id, 0)
                ):
                    decisions[rule["id"]].append(partner_id)
                    settled.add(partner_id)
            if settled:
                pending = [pid for pid in pending if pid not in settled]
        return decisions, partners.browse([pid for pid in pending if not current[pid]])

    @api.model
    def _match_partners(self, rules, partners):
        """Which rules match which partners: in Python for a few partners (the
        values are in cache), in one SQL query for many.

        :param rules: rule data, see ``_get_rules_data``
        :return: {partner_id: [matched (bool) for each rule, in order]}
        """
        if not rules:
            return {}
        if len(partners) <= self._python_match_limit:
            matches = {partner.id: [] for partner in partners}
            for rule in rules:
                matched = self._filter_partners(rule, partners)
                for partner in partners:
                    matches[partner.id].append(partner in matched)
            return matches
        self.env.flush_all()
        partners = partners.sudo()
        # one pass over the partners' rows: each rule is a boolean column of
        # the same SELECT, the joins its conditions need shared by all (a
        # sub-query per rule read the partners again for each rule)
        query = Query(self.env, partners._table, partners._table_sql)
        conditions = []
        for rule in rules:
            try:
                condition = self._partner_condition_sql(rule, partners, query)
            except Exception:  # a rule broken by a later change of the data model
                _logger.exception("Skipping the invalid lifecycle rule %s", rule["id"])
                condition = SQL("FALSE")
            conditions.append(SQL("COALESCE(%s, FALSE)", condition))
        id_column = SQL.identifier(partners._table, "id")
        query.add_where(SQL("%s = ANY(%s)", id_column, partners.ids))
        rows = self.env.execute_query(query.select(id_column, *conditions))
        return {partner_id: matches for partner_id, *matches in rows}

    @api.model
    def _partner_condition_sql(self, rule, partners, query):
        """The condition of a rule on the partners of ``query`` (its table's
        alias), as ``_search`` would put it in its WHERE clause (inactive
        partners excluded); the joins it needs are added to ``query``."""
        domain = self._partner_domain(rule)
        if partners._active_name and partners.env.context.get("active_test", True):
            if not any(
                leaf.field_expr == partners._active_name
                for leaf in domain.iter_conditions()
            ):
                domain &= Domain(partners._active_name, "=", True)
        domain = domain.optimize_full(partners)
        if domain.is_false():
            return SQL("FALSE")
        if domain.is_true():
            return SQL("TRUE")
        return domain._to_sql(partners, partners._table, query)

    @api.model
    def _filter_partners(self, rule, partners):
        """The partners a rule matches, in Python (values in cache)."""
        partners = partners.sudo()
        try:
            domain = self._python_domain(
                rule["filter_domain"],
                rule["company_id"],
                fields.Date.context_today(self),
                self.env.uid,
            )
            return partners.filtered_domain(domain)
        except Exception:  # a rule broken by a later change of the data model
            _logger.exception("Skipping the invalid lifecycle rule %s", rule["id"])
            return partners.browse()

    @api.model
    def _partner_domain(self, rule):
        """The domain of a rule (data from the rule cache), company included."""
        domain = self._parse_domain(rule["filter_domain"])
        if rule["company_id"]:
            domain &= Domain("company_id", "in", [rule["company_id"], False])
        return domain

    @api.model
    @tools.ormcache("filter_domain", "company_id", "today", "uid")
    def _python_domain(self, filter_domain, company_id, today, uid):
        """The domain of a rule for filtered_domain (cached: on every event),
        derived facts (days since...) as conditions on their stored date,
        exactly as in SQL."""
        partners = self.env["res.partner"]
        derived = partners._lifecycle_derived_facts()

        def python_condition(condition):
            fname = condition.field_expr
            if fname in derived:
                return partners._search_lifecycle_days(
                    f"commercial_partner_id.{derived[fname]}",
                    condition.operator,
                    condition.value,
                )
            return condition

        rule = {"filter_domain": filter_domain, "company_id": company_id}
        return self._partner_domain(rule).map_conditions(python_condition)

    def _check_condition_text(self, vals_list):
        """What the database cannot even store is refused like any other
        invalid condition (the constraint only sees saved rules)."""
        for vals in vals_list:
            condition = vals.get("filter_domain")
            if isinstance(condition, str) and "\x00" in condition:
                raise ValidationError(
                    self.env._(
                        "The condition of a rule is not a valid domain on "
                        "customers: it contains a NUL character."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_condition_text(vals_list)
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        self._check_condition_text([vals])
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.crm_lifecycle_history_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action
