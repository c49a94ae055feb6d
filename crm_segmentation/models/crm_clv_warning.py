# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import SQL, split_every

from .crm_clv_model import _array_literal

_logger = logging.getLogger(__name__)


class CrmClvModel(models.Model):
    """Early warning: after the predictions, the salesperson of a customer that
    may leave gets an activity with the reason, once until it recovers; and the
    lifecycle rules reading the predictions move the customers whose
    predictions changed."""

    _inherit = "crm.clv.model"

    def _warn_partners(self, ids):
        """Warn the salespeople of the customers of ``ids`` whose probability
        alive fell below the company's threshold or whose value at risk rose
        above its one (thresholds at 0 are off).

        ``clv_warning_sent`` makes it once: set when the activity is created,
        cleared when the customer is no longer at risk (re-armed), so a
        customer still at risk the next night is not warned again. A customer
        without salesperson is not marked, and is warned once it has one. One
        UPDATE finds and marks them, one create makes the activities."""
        company = self.company_id
        alive_limit = company.clv_warning_probability_alive or 0.0
        risk_limit = company.clv_warning_value_at_risk or 0.0
        rows = self.env.execute_query(
            SQL(
                """
                WITH state AS (
                    SELECT prediction.partner_id AS id,
                           ((%(alive)s > 0 AND prediction.probability_alive > 0
                             AND prediction.probability_alive < %(alive)s)
                            OR (%(risk)s > 0
                                AND prediction.value_at_risk > %(risk)s))
                           AS at_risk
                      FROM crm_clv_partner_prediction prediction
                     WHERE prediction.partner_id = ANY(%(ids)s::int[])
                       AND prediction.company_id = %(company)s
                )
                UPDATE res_partner partner
                   SET clv_warning_sent = state.at_risk
                  FROM state
                 WHERE partner.id = state.id
                   AND COALESCE(partner.clv_warning_sent, FALSE) != state.at_risk
                   AND (NOT state.at_risk OR partner.user_id IS NOT NULL)
             RETURNING partner.id, state.at_risk
                """,
                alive=alive_limit,
                risk=risk_limit,
                ids=_array_literal(ids),
                company=company.id,
            )
        )
        self.env["res.partner"].invalidate_model(["clv_warning_sent"])
        warned = [partner_id for partner_id, at_risk in rows if at_risk]
        if warned:
            self._create_warning_activities(self.env["res.partner"].browse(warned))
        return warned

    def _create_warning_activities(self, partners):
        """One activity per customer for its salesperson, in its language, in
        one create."""
        partners = partners.sudo().with_company(self.company_id)
        activity_type = self.env.ref(
            "crm_segmentation.mail_activity_type_churn_warning",
            raise_if_not_found=False,
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for lang in set(partners.user_id.mapped("lang")):
            group = partners.filtered(lambda p, lang=lang: p.user_id.lang == lang)
            group = group.with_context(lang=lang)
            reasons = group._clv_risk_reasons()
            for partner in group:
                figures = group.env._(
                    "Probability alive %(alive)s %%, value at risk %(risk)s.",
                    alive=round(partner.clv_probability_alive * 100),
                    risk=partner.lifecycle_currency_id.format(
                        partner.clv_value_at_risk
                    ),
                )
                lines = [figures, *reasons.get(partner.id, [])]
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "user_id": partner.user_id.id,
                        "activity_type_id": activity_type.id
                        if activity_type
                        else False,
                        "summary": group.env._("Customer may leave"),
                        "note": Markup("<br/>").join(escape(line) for line in lines),
                        "date_deadline": today,
                    }
                )
        self.env["mail.activity"].sudo().create(vals_list)
        _logger.info(
            "Customer value model of %s: %s salespeople warned of customers "
            "that may leave",
            self.company_id.name,
            len(vals_list),
        )

    def _apply_lifecycle_rules(self, partner_ids):
        """Apply the lifecycle rules to the customers whose predictions
        changed, when a rule reads them (``clv_`` fields): a rule such as
        "probability alive under 30 % and predicted value over 1,000" moves
        them tonight, not at the next lifecycle run."""
        if not partner_ids:
            return
        rules = self.env["crm.lifecycle.rule"]._get_rules_data()
        if not any("clv_" in rule["filter_domain"] for rule in rules):
            return
        Partner = self.env["res.partner"].sudo()
        for batch in split_every(2000, partner_ids, Partner.browse):
            customers = batch._lifecycle_customers()
            customers.filtered(
                lambda p: not p.lifecycle_locked
            )._lifecycle_apply_rules()
