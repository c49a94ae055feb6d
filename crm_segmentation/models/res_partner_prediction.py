# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from .crm_clv_partner_prediction import PREDICTION_COLUMNS


def search_by_sql(fname):
    """The ``search`` of a non-stored field that ``_field_to_sql`` converts to
    SQL: the condition of the field's own type on that SQL (searching,
    ordering and grouping read the same expression)."""

    def search(records, operator, value):
        field = records._fields[fname]
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        return Domain.custom(
            to_sql=lambda model, alias, query: field._condition_to_sql(
                fname, operator, value, model, alias, query
            )
        )

    search.__name__ = f"_search_{fname}"
    return search


class ResPartner(models.Model):
    """The predictions of the customer value model live in
    ``crm.clv.partner.prediction`` (one narrow row per customer and company,
    rewritten every night); the partner's ``clv_`` fields read the row of the
    current company, and search, order and group by it in SQL (a join), so
    lists such as the customers worth saving sort by value at risk in one
    query."""

    _inherit = "res.partner"

    @api.depends_context("company")
    def _compute_clv_prediction(self):
        Prediction = self.env["crm.clv.partner.prediction"].sudo()
        rows = {}
        if self._origin.ids:
            rows = {
                row["partner_id"]: row
                for row in Prediction.search_read(
                    [
                        ("partner_id", "in", self._origin.ids),
                        ("company_id", "=", self.env.company.id),
                    ],
                    ["partner_id", *PREDICTION_COLUMNS.values()],
                    load=None,
                )
            }
        # straight into the cache: the stored figures are rounded already, and
        # assigning a monetary figure would read its currency (one query more
        # for the list of customers worth saving)
        for fname, column in PREDICTION_COLUMNS.items():
            field = self._fields[fname]
            default = field.convert_to_cache(False, self)
            for partner in self:
                row = rows.get(partner._origin.id)
                field._update_cache(partner, row[column] if row else default)

    def _inverse_clv_prediction(self):
        """Predictions set by hand (tests, imports) go to the current company's
        row."""
        Prediction = self.env["crm.clv.partner.prediction"].sudo()
        company = self.env.company
        existing = {
            prediction.partner_id.id: prediction
            for prediction in Prediction.search(
                [("partner_id", "in", self.ids), ("company_id", "=", company.id)]
            )
        }
        creates = []
        for partner in self:
            values = {
                column: partner[fname] for fname, column in PREDICTION_COLUMNS.items()
            }
            if partner.id in existing:
                existing[partner.id].write(values)
            else:
                creates.append(
                    dict(values, partner_id=partner.id, company_id=company.id)
                )
        Prediction.create(creates)

    def _clv_prediction_to_sql(self, alias, field_expr, query):
        """The SQL of a prediction of the current company (``_field_to_sql``,
        see res_partner.py): its column in the joined prediction row."""
        column = PREDICTION_COLUMNS[field_expr]
        if query is None:
            raise ValueError(f"{field_expr} needs a query to join its prediction")
        self._check_field_access(self._fields[field_expr], "read")
        Prediction = self.env["crm.clv.partner.prediction"]
        prediction = Prediction._join_sql(alias, query, self.env.company)
        return SQL.identifier(prediction, column, to_flush=Prediction._fields[column])
