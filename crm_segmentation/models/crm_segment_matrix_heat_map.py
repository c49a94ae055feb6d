# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.models.res_partner_need_to_know import MONEY_GROUPS

from .. import heat_map

HEAT_MAP_TABS = ("heat_map", "migration", "cohorts")


class CrmSegmentMatrix(models.Model):
    """The matrix as a coloured grid (the heat map client action,
    static/src/heat_map): per cell its customers, share of the revenue, average
    predicted value and value at risk; beside it the moves between cells from
    one date to another and the cohorts of first purchases. Each screen reads
    one method here, one query whatever the number of customers, as the user
    (access rights, record rules, current companies): override them with
    ``super()`` to add figures."""

    _inherit = "crm.segment.matrix"

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_view_heat_map(self, tab="heat_map"):
        """The heat map of the matrix (``tab``: the migration grid or the
        cohorts), on phones too; a cell opens the list of its customers."""
        self.ensure_one()
        if tab not in HEAT_MAP_TABS:
            tab = "heat_map"
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_segmentation.crm_segment_matrix_action_heat_map"
        )
        name = self.env._("Heat Map: %(matrix)s", matrix=self.display_name)
        action.update(
            {
                "name": name,
                "display_name": name,
                "context": {"active_id": self.id, "heat_map_tab": tab},
            }
        )
        return action

    def action_view_migration(self):
        return self.action_view_heat_map(tab="migration")

    def action_view_cohorts(self):
        return self.action_view_heat_map(tab="cohorts")

    def action_view_cell(self, cell_id):
        """The customers of a cell of the matrix (a click on the heat map): the
        read-only list of the drill-down, a row opens the customer."""
        self.ensure_one()
        cell = self.cell_ids.filtered(lambda c: c.id == cell_id)
        if not cell:
            raise UserError(self.env._("This segment is not in the matrix."))
        levels = f"{cell.row_level_id.name} / {cell.col_level_id.name}"
        name = cell.name if cell.name == levels else f"{cell.name} ({levels})"
        action = self._action_for_matrix_memberships(name)
        customers_list_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_segmentation.crm_segment_membership_view_list_customers"
        )
        action.update(
            {
                "domain": [("matrix_id", "=", self.id), ("cell_id", "=", cell.id)],
                "context": {},
                "view_mode": "list,kanban,form",
                # the list on phones too: its rows are selected for an
                # activity or a mailing list
                "mobile_view_mode": "list",
                "views": [
                    (customers_list_id, "list"),
                    (False, "kanban"),
                    (False, "form"),
                ],
            }
        )
        return action

    # ------------------------------------------------------------------
    # DATA OF THE SCREENS (called by the client action)
    # ------------------------------------------------------------------

    def heat_map_data(self):
        self.ensure_one()
        self.check_access("read")
        return self._heat_map_data()

    def migration_data(self, date_from=None, date_to=None):
        self.ensure_one()
        self.check_access("read")
        return self._migration_data(date_from, date_to)

    def cohort_data(self, months=12):
        self.ensure_one()
        self.check_access("read")
        return self._cohort_data(months)

    @api.model
    def _heat_map_measures(self):
        """The measures the user may colour the heat map by: [{"key", "label",
        "money"}]. Revenue, predicted value and value at risk are money: for
        salespeople and accounting users only, as the customers' fields."""
        measures = [
            {"key": "customers", "label": self.env._("Customers"), "money": False}
        ]
        if self.env.user.has_groups(MONEY_GROUPS):
            measures += [
                {
                    "key": "revenue_share",
                    "label": self.env._("Share of Revenue"),
                    "money": True,
                },
                {
                    "key": "clv_avg",
                    "label": self.env._("Average Predicted Value"),
                    "money": True,
                },
                {
                    "key": "value_at_risk",
                    "label": self.env._("Value at Risk"),
                    "money": True,
                },
            ]
        return measures

    def _heat_map_customers_domain(self):
        """The memberships (or moves) of the matrix the user may know: a
        salesperson with "own documents only" knows its own customers (see
        crm_lifecycle's res_partner_need_to_know)."""
        self.ensure_one()
        domain = Domain("matrix_id", "=", self.id)
        Partner = self.env["res.partner"]
        if not self.env.su and Partner._lifecycle_own_customers_only():
            domain &= Domain(
                "partner_id", "any", Partner._lifecycle_own_customers_domain()
            )
        return domain

    def _heat_map_cells(self):
        """The cells, their rows and columns (the levels of both dimensions,
        "no data" last), in the matrix's order."""
        cells = self.cell_ids
        rows = cells.row_level_id.sorted(
            lambda level: (level.is_no_data, level.sequence, level.id)
        )
        cols = cells.col_level_id.sorted(
            lambda level: (level.is_no_data, level.sequence, level.id)
        )
        return cells, rows, cols

    def _heat_map_aggregates(self, with_money):
        """{cell id: (customers, revenue, sum of predicted values, value at
        risk)}: one query over the memberships the user may read (record
        rules); the figures are the customers' as of the last recompute,
        copied on the memberships."""
        Membership = self.env["crm.segment.membership"]
        Membership.flush_model(
            [
                "matrix_id",
                "cell_id",
                "partner_id",
                "monetary",
                "clv_value",
                "clv_value_at_risk",
            ]
        )
        query = Membership._search(self._heat_map_customers_domain())
        query.order = None
        table = query.table
        columns = [SQL.identifier(table, "cell_id"), SQL("COUNT(*)")]
        if with_money:
            columns += [
                SQL("SUM(%s)", SQL.identifier(table, fname))
                for fname in ("monetary", "clv_value", "clv_value_at_risk")
            ]
        query.groupby = SQL.identifier(table, "cell_id")
        return {
            row[0]: (*row[1:], 0.0, 0.0, 0.0)[:4]
            for row in self.env.execute_query(query.select(*columns))
        }

    def _heat_map_data(self):
        """The heat map of the matrix for the user: its measures, rows and
        columns (levels), and per cell its name and figures with a heat per
        measure (0 to 1, see heat_map.cell_figures)."""
        self.ensure_one()
        measures = self._heat_map_measures()
        keys = [measure["key"] for measure in measures]
        with_money = any(measure["money"] for measure in measures)
        aggregates = self._heat_map_aggregates(with_money)
        cells, rows, cols = self._heat_map_cells()
        figures, totals = heat_map.cell_figures(cells.ids, aggregates, keys)
        return {
            "matrix": {"id": self.id, "name": self.display_name},
            "row_dimension": self.row_dimension_id.name,
            "col_dimension": self.col_dimension_id.name,
            "currency_id": self.company_id.currency_id.id,
            "date_recompute": fields.Datetime.to_string(self.date_recompute)
            if self.date_recompute
            else False,
            "measures": measures,
            "rows": [{"id": level.id, "name": level.name} for level in rows],
            "cols": [{"id": level.id, "name": level.name} for level in cols],
            "cells": [
                {
                    "id": cell.id,
                    "name": cell.name,
                    "row": cell.row_level_id.id,
                    "col": cell.col_level_id.id,
                    **figure,
                }
                for cell, figure in zip(cells, figures, strict=True)
            ],
            "totals": totals,
        }

    def _migration_data(self, date_from=None, date_to=None):
        """The customers moved between the cells from ``date_from`` to
        ``date_to`` (dates, default the last 30 days): the cell of each
        customer at the end of each day is the last move of its history up to
        then. One query over the history the user may read."""
        self.ensure_one()
        try:
            date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
            date_from = fields.Date.to_date(date_from) or date_to - timedelta(days=30)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("The dates of the migration are not valid dates.")
            ) from error
        if date_from > date_to:
            raise UserError(
                self.env._("The first date of the migration must be before the second.")
            )
        end_from = datetime.combine(date_from, time.max)
        end_to = datetime.combine(date_to, time.max)
        History = self.env["crm.segment.history"]
        History.flush_model(["matrix_id", "partner_id", "cell_to_id", "date"])
        query = History._search(
            self._heat_map_customers_domain() & Domain("date", "<=", end_to)
        )
        query.order = None
        table = query.table
        moves = query.select(
            *(
                SQL.identifier(table, column)
                for column in ("id", "partner_id", "cell_to_id", "date")
            )
        )
        pairs = self.env.execute_query(
            SQL(
                """
                WITH move AS (%(moves)s),
                before AS (
                    SELECT DISTINCT ON (partner_id) partner_id, cell_to_id
                      FROM move WHERE date <= %(end_from)s
                     ORDER BY partner_id, date DESC, id DESC),
                after AS (
                    SELECT DISTINCT ON (partner_id) partner_id, cell_to_id
                      FROM move
                     ORDER BY partner_id, date DESC, id DESC)
                SELECT b.cell_to_id, a.cell_to_id, COUNT(*)
                  FROM after a
             LEFT JOIN before b ON b.partner_id = a.partner_id
              GROUP BY 1, 2
                """,
                moves=moves,
                end_from=end_from,
            )
        )
        cells = self.cell_ids
        grid = heat_map.migration_grid(pairs, cells.ids)
        names = {cell.id: cell.name for cell in cells}
        outside = self.env._("Not in the matrix")

        def label(cell_id):
            return {"id": cell_id or 0, "name": names.get(cell_id) or outside}

        return {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "from": [label(cell_id) for cell_id in grid["from"]],
            "to": [label(cell_id) for cell_id in grid["to"]],
            "counts": [
                {"from": cell_from or 0, "to": cell_to or 0, "customers": count}
                for (cell_from, cell_to), count in grid["counts"].items()
            ],
            "moved": grid["moved"],
            "stayed": grid["stayed"],
        }

    def _cohort_data(self, months=12):
        """The customers of the matrix's company by month of first purchase
        (the last ``months`` months) against the months since, with the share
        of each cohort buying again in that month. A purchase is a posted
        customer invoice (credit notes and invoices reversed in full are not);
        one query over the invoices the user may read."""
        self.ensure_one()
        try:
            months = max(1, min(int(months or 12), 36))
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("The number of months of the cohorts must be a number.")
            ) from error
        last_month = fields.Date.context_today(self).replace(day=1)
        first_month = heat_map.add_months(last_month, 1 - months)
        Move = self.env["account.move"]
        Move.flush_model(
            [
                "commercial_partner_id",
                "company_id",
                "invoice_date",
                "move_type",
                "payment_state",
                "state",
            ]
        )
        query = Move._search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "posted"),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "!=", "reversed"),
                ("invoice_date", "!=", False),
                ("invoice_date", "<=", fields.Date.context_today(self)),
            ]
        )
        query.order = None
        table = query.table
        invoices = query.select(
            SQL("%s AS partner_id", SQL.identifier(table, "commercial_partner_id")),
            SQL(
                "date_trunc('month', %s)::date AS month",
                SQL.identifier(table, "invoice_date"),
            ),
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH invoice AS (%(invoices)s),
                first AS (
                    SELECT partner_id, MIN(month) AS cohort
                      FROM invoice GROUP BY partner_id),
                buying AS (
                    SELECT DISTINCT partner_id, month
                      FROM invoice WHERE month >= %(start)s)
                SELECT f.cohort,
                       ((EXTRACT(YEAR FROM b.month) - EXTRACT(YEAR FROM f.cohort))
                        * 12 + EXTRACT(MONTH FROM b.month)
                        - EXTRACT(MONTH FROM f.cohort))::int,
                       COUNT(*)
                  FROM first f
                  JOIN buying b ON b.partner_id = f.partner_id
                 WHERE f.cohort >= %(start)s
              GROUP BY 1, 2
                """,
                invoices=invoices,
                start=first_month,
            )
        )
        table = heat_map.cohort_table(rows, first_month, last_month)
        return {
            "months": months,
            "cohorts": [
                {
                    "month": fields.Date.to_string(cohort["month"]),
                    "size": cohort["size"],
                    "shares": cohort["shares"],
                }
                for cohort in table
            ],
        }
