# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CrmSegmentMatrix(models.Model):
    """Two dimensions (rows x columns) whose level pairs are the cells, i.e.
    the segments. Every customer of the company lands in exactly one cell;
    a membership locked by hand keeps its cell through the recomputations."""

    _name = "crm.segment.matrix"
    _description = "Segmentation Matrix"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    row_dimension_id = fields.Many2one(
        "crm.segment.dimension",
        string="Rows",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    col_dimension_id = fields.Many2one(
        "crm.segment.dimension",
        string="Columns",
        required=True,
        ondelete="restrict",
        check_company=True,
    )
    cell_ids = fields.One2many("crm.segment.cell", "matrix_id", string="Cells")
    date_recompute = fields.Datetime(string="Last Recompute", readonly=True)
    customer_count = fields.Integer(compute="_compute_customer_count")

    _check_company_auto = True

    def _compute_customer_count(self):
        counts = dict(
            self.env["crm.segment.membership"]._read_group(
                [("matrix_id", "in", self.ids)], ["matrix_id"], ["__count"]
            )
        )
        for matrix in self:
            matrix.customer_count = counts.get(matrix, 0)

    @api.constrains("row_dimension_id", "col_dimension_id")
    def _check_dimensions(self):
        for matrix in self:
            if matrix.row_dimension_id == matrix.col_dimension_id:
                raise ValidationError(
                    self.env._("The rows and columns of a matrix need two dimensions.")
                )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------

    def action_generate_cells(self):
        """Create the missing cells: one per pair of levels (no-data included)."""
        existing = {
            (cell.matrix_id.id, cell.row_level_id.id, cell.col_level_id.id)
            for cell in self.env["crm.segment.cell"].search(
                [("matrix_id", "in", self.ids)]
            )
        }
        vals_list = []
        for matrix in self:
            for row in matrix.row_dimension_id.level_ids:
                for col in matrix.col_dimension_id.level_ids:
                    if (matrix.id, row.id, col.id) in existing:
                        continue
                    vals_list.append(
                        {
                            "matrix_id": matrix.id,
                            "row_level_id": row.id,
                            "col_level_id": col.id,
                            "name": f"{row.name} / {col.name}",
                        }
                    )
        cells = self.env["crm.segment.cell"].create(vals_list)
        # "R1 / No data" in every language of the database
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        if len(langs) > 1:
            for cell in cells:
                names = {}
                for code in langs:
                    row = cell.row_level_id.with_context(lang=code)
                    col = cell.col_level_id.with_context(lang=code)
                    names[code] = f"{row.name} / {col.name}"
                cell.update_field_translations("name", names)
        return cells

    def action_recompute(self):
        """Place every customer of the matrices' companies in a cell now, and
        say what moved (a notification, then the screen reloads)."""
        self.check_access("write")
        lines = []
        for matrix in self:
            result = matrix.sudo()._recompute()
            lines.append(
                self.env._(
                    "%(matrix)s: %(placed)s customers placed, %(moved)s moved to "
                    "another segment, %(gone)s left the matrix.",
                    matrix=matrix.display_name,
                    **result,
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Segments recomputed"),
                "message": "\n".join(lines),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _action_for_matrix(self, xmlid, name):
        """An action of the matrix's records, titled e.g. "Segments: RFM
        segments" (the breadcrumb of the matrix's form then reads "RFM segments
        / Segments: RFM segments", not the matrix twice)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        # the web client titles the breadcrumb with display_name
        action["name"] = action["display_name"] = name
        action["domain"] = [("matrix_id", "=", self.id)]
        return action

    def action_view_cells(self):
        action = self._action_for_matrix(
            "crm_segmentation.crm_segment_cell_action",
            self.env._("Segments: %(matrix)s", matrix=self.display_name),
        )
        action["context"] = {"default_matrix_id": self.id}
        return action

    def _action_for_matrix_memberships(self, name):
        """The memberships of the matrix, with the plain search view (the side
        panel of the report chooses a matrix: here it is chosen) and the
        default views (the editable list)."""
        action = self._action_for_matrix(
            "crm_segmentation.crm_segment_membership_action", name
        )
        search_view_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_segmentation.crm_segment_membership_view_search"
        )
        action["search_view_id"] = [search_view_id, "crm.segment.membership.search"]
        action["views"] = [(False, view_type) for _id, view_type in action["views"]]
        return action

    def action_view_memberships(self):
        """The customers of the matrix in the editable list: the segment of a
        customer can be changed by hand there (it is then locked)."""
        return self._action_for_matrix_memberships(
            self.env._("Customers: %(matrix)s", matrix=self.display_name)
        )

    def action_view_history(self):
        return self._action_for_matrix(
            "crm_segmentation.crm_segment_history_action",
            self.env._("Migration: %(matrix)s", matrix=self.display_name),
        )

    @api.model
    def action_view_report(self):
        """Reporting > Segment Matrix: the customers of ONE matrix per cell
        (a membership per customer and matrix: all matrices together would
        count every customer once per matrix). The first matrix of the
        company is chosen; the side panel switches to another one."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_segmentation.crm_segment_membership_action"
        )
        matrix = self.search([("company_id", "in", self.env.companies.ids)], limit=1)
        context = {"pivot_measures": ["__count"]}
        if matrix:
            context["searchpanel_default_matrix_id"] = matrix.id
        action["context"] = context
        return action

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _company_partners_query(self, company, partner_ids):
        """The partners of ``partner_ids`` (an SQL query of partner ids) that a
        matrix of the company places: active commercial partners, shared or
        the company's own, none a company of the database."""
        # one semi-join on the query (no sub-plan per partner under an OR)
        return SQL(
            """
            SELECT p.id
              FROM res_partner p
             WHERE p.active
               AND p.id = p.commercial_partner_id
               AND (p.company_id IS NULL OR p.company_id = %(company)s)
               AND NOT EXISTS (SELECT 1 FROM res_company rc WHERE rc.partner_id = p.id)
               AND p.id IN (%(partner_ids)s)
            """,
            company=company.id,
            partner_ids=partner_ids,
        )

    @api.model
    def _customers_query(self, company):
        """The customers of a company: partners (see ``_company_partners_query``)
        with a posted customer invoice or credit note or a confirmed sale order
        in the company, or in a customer lifecycle stage (customer, at risk,
        lost) in the company."""
        return self._company_partners_query(
            company,
            SQL(
                """
                SELECT m.commercial_partner_id FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                 UNION
                SELECT sp.commercial_partner_id FROM sale_order so
                  JOIN res_partner sp ON sp.id = so.partner_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
                 UNION
                SELECT sp.id FROM res_partner sp
                  JOIN crm_lifecycle_stage st ON st.id = %(stage)s
                 WHERE st.kind IN ('customer', 'at_risk', 'lost')
                """,
                company=company.id,
                stage=self._company_partner_field_sql(
                    company, "sp", "lifecycle_stage_id"
                ),
            ),
        )

    @api.model
    def _company_partner_field_sql(self, company, alias, fname):
        """SQL of the partner field ``fname`` on the res_partner row ``alias``
        as the company sees it: its value in the company for a
        company-dependent field (the stage, the facts, the RFM figures), else
        the column. The placement reads every customer, whoever triggers it."""
        return (
            self.env["res.partner"]
            .sudo()
            .with_company(company)
            ._field_to_sql(alias, fname)
        )

    def _recompute(self):
        """One statement places every customer: the levels of both dimensions
        (one sub-query per level), the cell, the memberships (upsert, locked
        ones untouched) and the history of the moves. The number of queries
        does not depend on the number of customers."""
        self.ensure_one()
        self.action_generate_cells()
        self.env.flush_all()
        company = self.company_id
        customers = self._population_query(company)
        now = fields.Datetime.now()
        uid = self.env.uid
        rows = self.env.execute_query(
            SQL(
                """
            WITH customer AS (%(customers)s),
            -- materialized: inlined, the planner mis-estimates the customers
            -- and evaluates a level per candidate cell (nested loops)
            row_level AS MATERIALIZED (%(row_levels)s),
            col_level AS MATERIALIZED (%(col_levels)s),
            target AS (
                SELECT r.partner_id, cell.id AS cell_id,
                       r.level_id AS row_level_id, c.level_id AS col_level_id,
                       COALESCE(%(monetary)s, 0)::numeric AS monetary,
                       COALESCE(pr.value, 0) AS clv_value,
                       COALESCE(pr.value_at_risk, 0) AS value_at_risk
                  FROM row_level r
                  JOIN col_level c ON c.partner_id = r.partner_id
                  JOIN crm_segment_cell cell
                    ON cell.matrix_id = %(matrix)s
                   AND cell.row_level_id = r.level_id
                   AND cell.col_level_id = c.level_id
                  JOIN res_partner p ON p.id = r.partner_id
             LEFT JOIN crm_clv_partner_prediction pr
                    ON pr.partner_id = r.partner_id
                   AND pr.company_id = %(company)s
            ),
            current AS (
                SELECT partner_id, cell_id, locked, monetary, clv_value,
                       clv_value_at_risk AS value_at_risk
                  FROM crm_segment_membership
                 WHERE matrix_id = %(matrix)s
            ),
            changed AS (
                SELECT t.*, cur.cell_id AS from_cell_id,
                       cur.partner_id IS NULL
                       OR (NOT cur.locked AND cur.cell_id != t.cell_id) AS moved
                  FROM target t
             LEFT JOIN current cur ON cur.partner_id = t.partner_id
                 WHERE cur.partner_id IS NULL
                    OR (NOT cur.locked AND cur.cell_id != t.cell_id)
                    OR cur.monetary IS DISTINCT FROM t.monetary
                    OR cur.clv_value IS DISTINCT FROM t.clv_value
                    OR cur.value_at_risk IS DISTINCT FROM t.value_at_risk
            ),
            gone AS (
                DELETE FROM crm_segment_membership m
                 WHERE m.matrix_id = %(matrix)s
                   AND NOT m.locked
                   AND NOT EXISTS (
                       SELECT 1 FROM customer c WHERE c.id = m.partner_id)
             RETURNING m.partner_id, m.cell_id
            ),
            history AS (
                INSERT INTO crm_segment_history (
                    partner_id, matrix_id, company_id, cell_from_id, cell_to_id,
                    date, is_manual, create_uid, create_date, write_uid, write_date)
                SELECT partner_id, %(matrix)s, %(company)s, from_cell_id, cell_id,
                       %(now)s, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM changed WHERE moved
                 UNION ALL
                SELECT partner_id, %(matrix)s, %(company)s, cell_id, NULL,
                       %(now)s, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM gone
             RETURNING id, partner_id, cell_from_id, cell_to_id
            ),
            stamp AS (
                UPDATE crm_segment_matrix SET date_recompute = %(now)s
                 WHERE id = %(matrix)s
             RETURNING 1
            ),
            upsert AS (
                INSERT INTO crm_segment_membership AS m (
                    partner_id, matrix_id, company_id, cell_id, row_level_id,
                    col_level_id, locked, date, monetary, clv_value,
                    clv_value_at_risk, create_uid, create_date, write_uid,
                    write_date)
                SELECT partner_id, %(matrix)s, %(company)s, cell_id, row_level_id,
                       col_level_id, FALSE, %(now)s, monetary, clv_value,
                       value_at_risk, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM changed
                ON CONFLICT (partner_id, matrix_id) DO UPDATE
                   SET cell_id = CASE WHEN m.locked THEN m.cell_id
                                      ELSE EXCLUDED.cell_id END,
                       row_level_id = CASE WHEN m.locked THEN m.row_level_id
                                           ELSE EXCLUDED.row_level_id END,
                       col_level_id = CASE WHEN m.locked THEN m.col_level_id
                                           ELSE EXCLUDED.col_level_id END,
                       date = CASE WHEN m.locked OR m.cell_id = EXCLUDED.cell_id
                                   THEN m.date ELSE EXCLUDED.date END,
                       monetary = EXCLUDED.monetary,
                       clv_value = EXCLUDED.clv_value,
                       clv_value_at_risk = EXCLUDED.clv_value_at_risk,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
             RETURNING 1
            )
            SELECT (SELECT COUNT(*) FROM target),
                   (SELECT COUNT(*) FROM changed WHERE moved),
                   (SELECT COUNT(*) FROM gone),
                   (SELECT COUNT(*) FROM history),
                   (SELECT COUNT(*) FROM upsert),
                   (SELECT COUNT(*) FROM stamp),
                   (SELECT array_agg(ARRAY[id, partner_id,
                                           COALESCE(cell_from_id, 0),
                                           COALESCE(cell_to_id, 0)])
                      FROM history)
            """,
                customers=customers,
                row_levels=self.row_dimension_id._level_query(
                    SQL("SELECT id FROM customer"), company
                ),
                col_levels=self.col_dimension_id._level_query(
                    SQL("SELECT id FROM customer"), company
                ),
                monetary=self._company_partner_field_sql(company, "p", "rfm_monetary"),
                matrix=self.id,
                company=company.id,
                now=now,
                uid=uid,
            )
        )
        placed, moved, gone = rows[0][:3]
        self.invalidate_recordset(["date_recompute"])
        self.env["crm.segment.membership"].invalidate_model()
        self.env["crm.segment.history"].invalidate_model()
        self._segment_after_moves(self._segment_moves(rows[0][6] or []))
        _logger.info(
            "Segmentation matrix %s: %s customers placed, %s moved, %s left",
            self.id,
            placed,
            moved,
            gone,
        )
        return {"placed": placed, "moved": moved, "gone": gone}

    def _segment_moves(self, rows):
        """The history rows the placement just inserted, from its ``(id,
        partner, cell from or 0, cell to or 0)`` rows, with these fields in
        the cache: reading them through the ORM would take a query per 1,000
        customers moved (the query count would grow with the customers)."""
        History = self.env["crm.segment.history"]
        moves = History.browse([row[0] for row in rows])
        columns = {
            "partner_id": [row[1] for row in rows],
            "matrix_id": [self.id] * len(rows),
            "cell_from_id": [row[2] or None for row in rows],
            "cell_to_id": [row[3] or None for row in rows],
            "is_manual": [False] * len(rows),
        }
        for fname, values in columns.items():
            History._fields[fname]._insert_cache(moves, values)
        return moves

    def _segment_after_moves(self, moves):
        """The placement wrote by SQL: what the ORM would have triggered for
        the customers it moved (``moves``, their history rows): the customers
        leaving a cell (``_segment_left``), those entering one (the actions on
        entering) and the automation rules on their memberships."""
        self.ensure_one()
        if not moves:
            return
        moves.filtered("cell_from_id")._segment_left()
        entries = moves.filtered("cell_to_id")
        if not entries:
            return
        entries._segment_entered()
        self.env["crm.segment.membership"].search(
            [
                ("matrix_id", "=", self.id),
                ("partner_id", "in", entries.partner_id.ids),
            ]
        )._segment_run_automations()

    @api.model
    def _cron_segmentation_nightly(self, batch_size=1):
        """Nightly: the RFM figures of every company, the customer value
        predictions when that model is installed, then every active matrix,
        one commit per company / matrix (the job resumes where it stopped)."""
        cron = self.env["ir.cron"]
        today_start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        companies = self.env["res.company"].search(
            [
                "|",
                ("rfm_date_computed", "=", False),
                ("rfm_date_computed", "<", today_start),
            ]
        )
        for company in companies:
            self._segment_refresh_customers(company)
            company.rfm_date_computed = fields.Datetime.now()
            if cron._commit_progress(1) <= 0:
                return
        domain = [
            "|",
            ("date_recompute", "=", False),
            ("date_recompute", "<", today_start),
        ]
        while True:
            matrices = self.search(domain, limit=batch_size, order="id")
            matrices = matrices.try_lock_for_update()
            if not matrices:
                break
            for matrix in matrices:
                matrix._recompute()
            remaining = self.search_count(domain)
            if cron._commit_progress(len(matrices), remaining=remaining) <= 0:
                break

    @api.model
    def _segment_refresh_customers(self, company):
        """The nightly figures of the company's customers, before the
        placement: RFM (partner rows whose figures change), then the
        predictions (``crm.clv.partner.prediction``, rewritten every day)."""
        self.env["res.partner"]._rfm_compute(company)
        self._segment_refresh_predictions(company)

    @api.model
    def _segment_refresh_predictions(self, company):
        """Hook: refresh the customer value predictions of the company (the
        customer value model extends it) before the matrices use them."""
        return True

    @api.model
    def _demo_recompute(self):
        """Demo data: RFM and placement of the demo customers, plus a past
        placement (two months ago, in another cell of the same row) for a few
        of them, so that the migration analysis shows movement."""
        self.env["res.partner"]._rfm_compute(self.env.ref("base.main_company"))
        matrices = self.search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        matrices.action_recompute()
        past = fields.Datetime.now() - timedelta(days=60)
        History = self.env["crm.segment.history"]
        for matrix in matrices:
            entries = History.search([("matrix_id", "=", matrix.id)])
            for entry in entries[:4]:
                other = matrix.cell_ids.filtered(
                    lambda c, e=entry: c.row_level_id == e.cell_to_id.row_level_id
                    and c != e.cell_to_id
                )[:1]
                if not other:
                    continue
                entry.cell_from_id = other
                History.create(
                    {
                        "partner_id": entry.partner_id.id,
                        "matrix_id": matrix.id,
                        "cell_to_id": other.id,
                        "date": past,
                    }
                )
