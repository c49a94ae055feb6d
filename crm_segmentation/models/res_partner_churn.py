# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.crm_lifecycle.models.res_partner_need_to_know import MONEY_GROUPS

from .res_partner_prediction import search_by_sql

# The churn figures written with the predictions (crm.clv.model), set-based.
CHURN_FIELDS = (
    "clv_probability_no_purchase",
    "clv_value_at_risk",
    "clv_days_since_purchase",
    "clv_purchase_interval",
    "clv_recent_purchases",
    "clv_usual_purchases",
    "clv_is_late",
    "clv_frequency_falling",
)


class ResPartner(models.Model):
    """Churn and value at risk of the customer (see churn_math), and the reasons
    a salesperson reads in the list of customers worth saving."""

    _inherit = "res.partner"

    clv_probability_no_purchase = fields.Float(
        string="Probability of No Purchase",
        digits=(16, 4),
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_probability_no_purchase"),
        help="Probability that the customer buys nothing in the company's churn "
        "horizon (Settings > CRM), from the model in use: it may have left or "
        "only be slow.",
        groups="base.group_user",
    )
    clv_value_at_risk = fields.Monetary(
        string="Value at Risk",
        currency_field="lifecycle_currency_id",
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_value_at_risk"),
        help="Predicted value lost if the customer has left: the discounted value "
        "it would bring over the model's horizon if still active, times the "
        "probability that it has left (1 - probability alive). What winning it "
        "back is worth; 0 for a customer surely active.",
        groups=MONEY_GROUPS,
    )
    clv_days_since_purchase = fields.Integer(
        string="Days Without Purchase",
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_days_since_purchase"),
        help="Days since the customer's last purchase, at the last prediction.",
        groups="base.group_user",
    )
    clv_purchase_interval = fields.Float(
        string="Usual Days Between Purchases",
        digits=(16, 1),
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_purchase_interval"),
        help="Average days between two purchases of the customer (0 for a "
        "one-time buyer).",
        groups="base.group_user",
    )
    clv_recent_purchases = fields.Integer(
        string="Purchases in the Churn Horizon",
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_recent_purchases"),
        help="Purchases in the last days of the churn horizon.",
        groups="base.group_user",
    )
    clv_usual_purchases = fields.Float(
        string="Usual Purchases in the Churn Horizon",
        digits=(16, 1),
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_usual_purchases"),
        help="Purchases its earlier rate gives for as many days: its purchases "
        "before the horizon over the days since its first purchase, times the "
        "horizon (0 when its history is shorter than twice the horizon).",
        groups="base.group_user",
    )
    clv_is_late = fields.Boolean(
        string="Late Against Its Rhythm",
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_is_late"),
        help="No purchase for more than twice its usual days between purchases.",
        groups="base.group_user",
    )
    clv_frequency_falling = fields.Boolean(
        string="Falling Frequency",
        readonly=True,
        compute="_compute_clv_prediction",
        inverse="_inverse_clv_prediction",
        search=search_by_sql("clv_frequency_falling"),
        help="Fewer than half the purchases its earlier rate predicts in the last "
        "churn horizon.",
        groups="base.group_user",
    )
    clv_warning_sent = fields.Boolean(
        string="Churn Warning Sent",
        readonly=True,
        copy=False,
        help="Its salesperson was warned that the customer may leave; set again "
        "only after the customer recovered.",
        groups="base.group_user",
        prefetch="segmentation",
    )
    clv_risk_reason = fields.Text(
        string="Why at Risk",
        compute="_compute_clv_risk_reason",
        compute_sudo=True,
        groups=MONEY_GROUPS,
    )

    @api.depends(*CHURN_FIELDS, "lifecycle_overdue_amount")
    @api.depends_context("company")
    def _compute_clv_risk_reason(self):
        reasons = self._clv_risk_reasons()
        for partner in self:
            partner.clv_risk_reason = "\n".join(reasons.get(partner.id, []))

    def _clv_risk_reasons(self):
        """{partner id: [reasons, one line each]} why the customers may leave:
        late against its own rhythm, falling frequency, overdue invoices and,
        when Customer Complaints is installed, open complaints. Addons add
        theirs with ``super()``."""
        reasons = {}
        for partner in self:
            lines = []
            if partner.clv_is_late:
                lines.append(
                    self.env._(
                        "No purchase for %(days)s days; it usually buys every "
                        "%(interval)s days.",
                        days=partner.clv_days_since_purchase,
                        interval=round(partner.clv_purchase_interval),
                    )
                )
            elif partner.clv_value_at_risk and not partner.clv_purchase_interval:
                lines.append(
                    self.env._(
                        "One purchase only, %(days)s days ago.",
                        days=partner.clv_days_since_purchase,
                    )
                )
            if partner.clv_frequency_falling:
                lines.append(
                    self.env._(
                        "%(recent)s purchases in the last %(window)s days; its "
                        "usual rate gives %(usual)s.",
                        recent=partner.clv_recent_purchases,
                        window=partner.company_id.clv_churn_days
                        or self.env.company.clv_churn_days,
                        usual=f"{partner.clv_usual_purchases:.1f}",
                    )
                )
            if partner.lifecycle_overdue_amount > 0:
                lines.append(
                    self.env._(
                        "Overdue invoices: %(amount)s.",
                        amount=partner.lifecycle_currency_id.format(
                            partner.lifecycle_overdue_amount
                        ),
                    )
                )
            reasons[partner.id] = lines
        # open complaints, without depending on Customer Complaints
        if "complaint_open_count" in self._fields:
            for partner in self:
                if partner.complaint_open_count:
                    reasons[partner.id].append(
                        self.env._(
                            "Open complaints: %(count)s.",
                            count=partner.complaint_open_count,
                        )
                    )
        return reasons
