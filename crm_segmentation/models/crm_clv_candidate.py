# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

PURCHASE_MODELS = [
    ("bgnbd", "BG/NBD"),
    ("pareto", "Pareto/NBD"),
    ("mbgnbd", "MBG/NBD"),
]
# Names of the four parameters of each purchase model, in clv_math's order.
PARAMETER_NAMES = {
    "bgnbd": ("r", "alpha", "a", "b"),
    "pareto": ("r", "alpha", "s", "beta"),
    "mbgnbd": ("r", "alpha", "a", "b"),
}


class CrmClvCandidate(models.Model):
    """One purchase model fitted on the company's history, beside the others:
    its parameters, log-likelihood, BIC and holdout error."""

    _name = "crm.clv.candidate"
    _description = "Customer Value Model Comparison"
    _order = "model_id, sequence"

    model_id = fields.Many2one(
        "crm.clv.model", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="model_id.company_id", store=True)
    sequence = fields.Integer()
    kind = fields.Selection(PURCHASE_MODELS, string="Purchase Model", required=True)
    param_1 = fields.Float(digits=(16, 6))
    param_2 = fields.Float(digits=(16, 6))
    param_3 = fields.Float(digits=(16, 6))
    param_4 = fields.Float(digits=(16, 6))
    parameters = fields.Char(compute="_compute_parameters")
    log_likelihood = fields.Float(string="Log-likelihood", digits=(16, 2))
    bic = fields.Float(
        string="BIC",
        digits=(16, 2),
        help="Bayesian information criterion, 4 ln(customers) - 2 log-likelihood: "
        "lower is better.",
    )
    holdout_mae = fields.Float(
        string="Holdout Error",
        digits=(16, 4),
        help="Mean absolute error of the predicted repeat purchases of the holdout "
        "period against the actual ones, per calibration frequency bucket, "
        "weighted by the customers of each bucket. Empty without a calibration "
        "date.",
    )
    has_holdout = fields.Boolean()
    at_bound = fields.Boolean(
        string="At a Bound",
        help="A parameter is at the edge of the search: the likelihood was still "
        "rising there, the estimate is a limit. Not used by the automatic choice.",
    )
    is_used = fields.Boolean(string="In Use", compute="_compute_is_used")

    @api.depends("kind", "param_1", "param_2", "param_3", "param_4")
    def _compute_parameters(self):
        for candidate in self:
            names = PARAMETER_NAMES.get(candidate.kind, ())
            values = candidate._params()
            candidate.parameters = ", ".join(
                f"{name} {value:.4g}"
                for name, value in zip(names, values, strict=False)
            )

    @api.depends("kind", "model_id.model_used")
    def _compute_is_used(self):
        for candidate in self:
            candidate.is_used = candidate.kind == candidate.model_id.model_used

    def _params(self):
        self.ensure_one()
        return (self.param_1, self.param_2, self.param_3, self.param_4)
