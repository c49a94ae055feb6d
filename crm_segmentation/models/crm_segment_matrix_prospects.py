# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CrmSegmentMatrix(models.Model):
    """Prospects in the matrix: a matrix whose two dimensions are rule-based
    (characteristics of the partner: country, industry, tags, lifecycle
    stage...) can place prospects too, not only buyers, so that a campaign can
    target e.g. "probable prospects in Spain, industry X". Matrices with a
    metric dimension (purchases, predicted value...) stay customers only: a
    prospect has none of those figures."""

    _inherit = "crm.segment.matrix"

    is_characteristic_only = fields.Boolean(
        compute="_compute_is_characteristic_only",
        help="Both dimensions are rule-based: the levels depend on the partner's "
        "characteristics, not on its purchases.",
    )
    include_prospects = fields.Boolean(
        string="Place Prospects Too",
        help="Also place the prospects (partners in a prospect lifecycle stage) and "
        "the partners of the company's active leads and opportunities, not only "
        "the customers. Only for matrices whose two dimensions are rule-based.",
    )

    @api.depends("row_dimension_id.dimension_type", "col_dimension_id.dimension_type")
    def _compute_is_characteristic_only(self):
        for matrix in self:
            matrix.is_characteristic_only = (
                matrix.row_dimension_id.dimension_type == "rule"
                and matrix.col_dimension_id.dimension_type == "rule"
            )

    @api.constrains("include_prospects", "row_dimension_id", "col_dimension_id")
    def _check_include_prospects(self):
        for matrix in self.filtered("include_prospects"):
            if not matrix.is_characteristic_only:
                raise ValidationError(
                    self.env._(
                        "The matrix “%(name)s” can place prospects only when its two "
                        "dimensions are rule-based: prospects have no purchases to "
                        "measure.",
                        name=matrix.display_name,
                    )
                )

    @api.model
    def _prospects_query(self, company):
        """The prospects of a company: partners (see
        ``_company_partners_query``) in a prospect lifecycle stage in the
        company, or the partner of an active lead or opportunity of the
        company."""
        return self._company_partners_query(
            company,
            SQL(
                """
                SELECT sp.id FROM res_partner sp
                  JOIN crm_lifecycle_stage st ON st.id = %(stage)s
                 WHERE st.kind = 'prospect'
                 UNION
                SELECT lp.commercial_partner_id FROM crm_lead l
                  JOIN res_partner lp ON lp.id = l.partner_id
                 WHERE l.active
                   AND (l.company_id IS NULL OR l.company_id = %(company)s)
                """,
                company=company.id,
                stage=self._company_partner_field_sql(
                    company, "sp", "lifecycle_stage_id"
                ),
            ),
        )

    def _population_query(self, company):
        """Who the matrix places: the customers, and the prospects when the
        matrix asks for them."""
        self.ensure_one()
        customers = self._customers_query(company)
        if not (self.include_prospects and self.is_characteristic_only):
            return customers
        return SQL("%s UNION %s", customers, self._prospects_query(company))
