# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

HOLDOUT_BUCKETS = 8  # frequency buckets 0, 1, ..., 6 and 7+


class CrmClvHoldoutLine(models.Model):
    _name = "crm.clv.holdout.line"
    _description = "Customer Value Model Holdout Check"
    _order = "model_id, bucket"

    model_id = fields.Many2one(
        "crm.clv.model", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="model_id.company_id", store=True)
    bucket = fields.Integer(
        string="Repeat Purchases",
        help="Repeat purchases in the calibration period (the last bucket is 7+).",
    )
    bucket_label = fields.Char(
        string="Calibration Purchases", compute="_compute_bucket_label", store=True
    )
    customer_count = fields.Integer(string="Customers")
    actual_avg = fields.Float(string="Actual (average)", digits=(16, 3))
    predicted_avg = fields.Float(
        string="BG/NBD (average)",
        digits=(16, 3),
        help="Average holdout purchases predicted by BG/NBD.",
    )
    predicted_pareto_avg = fields.Float(
        string="Pareto/NBD (average)",
        digits=(16, 3),
        help="Average holdout purchases predicted by Pareto/NBD.",
    )
    predicted_mbgnbd_avg = fields.Float(
        string="MBG/NBD (average)",
        digits=(16, 3),
        help="Average holdout purchases predicted by the modified BG/NBD.",
    )

    @api.depends("bucket")
    def _compute_bucket_label(self):
        for line in self:
            last = line.bucket >= HOLDOUT_BUCKETS - 1
            line.bucket_label = f"{HOLDOUT_BUCKETS - 1}+" if last else str(line.bucket)


class CrmClvHoldoutPoint(models.Model):
    """The holdout lines unpivoted (one row per bucket and series) so that one
    graph shows the actual and the predicted averages side by side."""

    _name = "crm.clv.holdout.point"
    _description = "Customer Value Model Holdout Point"
    _auto = False
    _order = "bucket, series"
    _depends = {
        "crm.clv.holdout.line": [
            "model_id",
            "company_id",
            "bucket",
            "bucket_label",
            "actual_avg",
            "predicted_avg",
            "predicted_pareto_avg",
            "predicted_mbgnbd_avg",
        ]
    }

    model_id = fields.Many2one("crm.clv.model", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    bucket = fields.Integer(string="Repeat Purchases", readonly=True)
    bucket_label = fields.Char(string="Calibration Purchases", readonly=True)
    series = fields.Selection(
        [
            ("actual", "Actual"),
            ("predicted", "BG/NBD"),
            ("pareto", "Pareto/NBD"),
            ("mbgnbd", "MBG/NBD"),
        ],
        readonly=True,
    )
    value = fields.Float(
        string="Average Holdout Purchases",
        digits=(16, 3),
        readonly=True,
        aggregator="sum",
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW crm_clv_holdout_point AS (
                    SELECT line.id * 4 AS id, line.model_id, line.company_id,
                           line.bucket, line.bucket_label,
                           'actual' AS series, line.actual_avg AS value
                      FROM crm_clv_holdout_line line
                 UNION ALL
                    SELECT line.id * 4 + 1, line.model_id, line.company_id,
                           line.bucket, line.bucket_label,
                           'predicted', line.predicted_avg
                      FROM crm_clv_holdout_line line
                 UNION ALL
                    SELECT line.id * 4 + 2, line.model_id, line.company_id,
                           line.bucket, line.bucket_label,
                           'pareto', line.predicted_pareto_avg
                      FROM crm_clv_holdout_line line
                     WHERE line.predicted_pareto_avg IS NOT NULL
                 UNION ALL
                    SELECT line.id * 4 + 3, line.model_id, line.company_id,
                           line.bucket, line.bucket_label,
                           'mbgnbd', line.predicted_mbgnbd_avg
                      FROM crm_clv_holdout_line line
                     WHERE line.predicted_mbgnbd_avg IS NOT NULL
                )
                """
            )
        )
