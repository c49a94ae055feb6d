# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval


class CrmSegmentLevel(models.Model):
    """A level of a dimension: a domain on the customer (rule dimensions), a
    bin of a metric (metric dimensions), or the "no data" level of customers
    nothing applies to."""

    _name = "crm.segment.level"
    _description = "Segmentation Level"
    _order = "dimension_id, is_no_data, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    dimension_id = fields.Many2one(
        "crm.segment.dimension", required=True, index=True, ondelete="cascade"
    )
    dimension_type = fields.Selection(related="dimension_id.dimension_type")
    binning = fields.Selection(related="dimension_id.binning")
    company_id = fields.Many2one(related="dimension_id.company_id", store=True)
    domain = fields.Char(
        string="Condition",
        default="[]",
        help="Rule dimensions: customers matching this domain take the level; "
        "the first matching level by sequence wins.",
    )
    threshold = fields.Float(
        string="From Value",
        help="Metric dimensions binned by thresholds: customers whose metric is "
        "at least this value (and below the next level's) take the level.",
    )
    is_no_data = fields.Boolean(
        string="No Data",
        help="Customers without history (or matching no level) take this level.",
    )

    _no_data_uniq = models.UniqueIndex(
        "(dimension_id) WHERE is_no_data",
        "A dimension has only one “no data” level.",
    )

    @api.constrains("domain")
    def _check_domain(self):
        Partner = self.env["res.partner"]
        for level in self:
            try:
                level._get_domain().validate(Partner)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The condition of the level “%(level)s” is not a valid "
                        "domain on customers: %(error)s",
                        level=level.name,
                        error=error,
                    )
                ) from error

    def _get_domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]", {"uid": self.env.uid})
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a domain must be a list"))
        return Domain(domain)
