# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)

RFM_MATRIX_XMLID = "crm_segmentation.crm_segment_matrix_rfm"


class ResCompany(models.Model):
    _inherit = "res.company"

    rfm_period_days = fields.Integer(
        string="RFM Look-back Window (days)",
        default=365,
        help="Purchases of the last N days count for recency, frequency and "
        "monetary value.",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    rfm_source = fields.Selection(
        [
            ("invoice", "Posted invoices"),
            ("order", "Confirmed sale orders and direct invoices"),
        ],
        string="RFM Source",
        default="invoice",
        required=True,
        help="Posted customer invoices (net of credit notes), or confirmed sale "
        "orders together with the invoices made without a sale order (net of "
        "their credit notes).",
        groups="base.group_user",
        prefetch="crm_segmentation",
    )
    rfm_date_computed = fields.Datetime(
        string="RFM Computed On",
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="crm_segmentation",
    )

    _rfm_period_positive = models.Constraint(
        "CHECK(rfm_period_days > 0)", "The RFM look-back window must be positive."
    )

    def _crm_create_company_data(self):
        res = super()._crm_create_company_data()
        self._segment_create_company_data()
        return res

    def _segment_create_company_data(self):
        """Give each company of ``self`` what the module ships per company,
        unless it has it already: the standard RFM matrix (a copy of the
        shipped one, with its cells and their translations; the dimensions and
        levels are shared by all companies) and the customer value model."""
        self._segment_create_rfm_matrix()
        self._segment_create_clv_model()

    def _segment_create_rfm_matrix(self):
        template = self.env.ref(RFM_MATRIX_XMLID, raise_if_not_found=False)
        if not template:
            _logger.info("No shipped RFM matrix to copy: it was deleted.")
            return self.env["crm.segment.matrix"]
        Matrix = self.env["crm.segment.matrix"].with_context(active_test=False)
        # a company has the RFM matrix when one of its matrices crosses the
        # shipped RFM dimensions (archived or renamed, it is still the user's)
        having = set(
            Matrix.search(
                [
                    ("company_id", "in", self.ids),
                    ("row_dimension_id", "=", template.row_dimension_id.id),
                    ("col_dimension_id", "=", template.col_dimension_id.id),
                ]
            ).company_id.ids
        )
        missing = self.filtered(lambda company: company.id not in having)
        if not missing:
            return Matrix
        matrices = Matrix
        for company in missing:
            # copy() keeps the translations of the names, descriptions and
            # recommended actions (one copy per company: copy() takes one
            # default; companies are created a few at a time)
            matrix = template.copy(
                {"company_id": company.id, "active": True, "date_recompute": False}
            )
            template.cell_ids.copy({"matrix_id": matrix.id})
            matrices |= matrix
        _logger.info(
            "RFM matrix created for %s companies: %s",
            len(missing),
            ", ".join(missing.mapped("name")),
        )
        return matrices

    def _segment_create_clv_model(self):
        Model = self.env["crm.clv.model"].with_context(active_test=False)
        having = set(Model.search([("company_id", "in", self.ids)]).company_id.ids)
        missing = self.filtered(lambda company: company.id not in having)
        return Model.create([{"company_id": company.id} for company in missing])
