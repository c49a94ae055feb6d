# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.crm_complaint import (
    COMPLAINT_CHANNELS,
    COMPLAINT_KINDS,
    COMPLAINT_PRIORITIES,
    SLA_STATUSES,
)


class CrmComplaintReport(models.Model):
    """Complaint analysis: one row per complaint with the dimensions of the
    customer (country, industry, lifecycle stage) and the product, and the
    measures of the service (SLA compliance, response and resolution times,
    satisfaction, amounts)."""

    _name = "crm.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_open desc"

    complaint_id = fields.Many2one("crm.complaint", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    date_open = fields.Datetime(string="Opened On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    kind = fields.Selection(COMPLAINT_KINDS, readonly=True)
    channel = fields.Selection(COMPLAINT_CHANNELS, readonly=True)
    priority = fields.Selection(COMPLAINT_PRIORITIES, readonly=True)
    category_id = fields.Many2one("crm.complaint.category", readonly=True)
    team_id = fields.Many2one("crm.complaint.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one(
        "res.country", string="Customer Country", readonly=True
    )
    industry_id = fields.Many2one(
        "res.partner.industry", string="Customer Industry", readonly=True
    )
    lifecycle_stage_id = fields.Many2one(
        "crm.lifecycle.stage", string="Customer Lifecycle Stage", readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    stage_id = fields.Many2one("crm.complaint.stage", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True)
    sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="100 for a met SLA, 0 for a breached one; complaints still running "
        "or without SLA are not counted.",
    )
    response_hours = fields.Float(
        string="First Response Time (hours)", readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Resolution Time (hours)", readonly=True, aggregator="avg"
    )
    rating = fields.Float(
        string="Satisfaction (0-5)",
        readonly=True,
        aggregator="avg",
        help="Last rating given by the customer; unrated complaints are not counted.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_claimed = fields.Monetary(readonly=True)
    amount_granted = fields.Monetary(readonly=True)
    amount_refunded = fields.Monetary(string="Refunded", readonly=True)

    def _stage_sql(self):
        """The customer's stage in the complaint's company (a company-dependent
        field is a jsonb {company id: stage id})."""
        if self.env["res.partner"]._fields["lifecycle_stage_id"].company_dependent:
            return SQL("(p.lifecycle_stage_id ->> c.company_id::text)::int4")
        return SQL("p.lifecycle_stage_id")

    def _select(self):
        return SQL(
            """
            SELECT
                c.id AS id,
                c.id AS complaint_id,
                c.name,
                c.date_open,
                c.date_closed,
                c.kind,
                c.channel,
                c.priority,
                c.category_id,
                c.team_id,
                c.user_id,
                c.company_id,
                c.commercial_partner_id AS partner_id,
                p.country_id,
                p.industry_id,
                %(stage)s AS lifecycle_stage_id,
                c.product_id,
                pt.categ_id AS product_categ_id,
                c.stage_id,
                c.is_closed,
                c.sla_status,
                CASE
                    WHEN c.sla_status = 'met' THEN 100.0
                    WHEN c.sla_status = 'breached' THEN 0.0
                END AS sla_compliance,
                CASE
                    WHEN c.date_first_response IS NOT NULL
                    THEN EXTRACT(EPOCH FROM c.date_first_response - c.date_open) / 3600
                END AS response_hours,
                CASE
                    WHEN c.date_closed IS NOT NULL
                    THEN EXTRACT(EPOCH FROM c.date_closed - c.date_open) / 3600
                END AS resolution_hours,
                NULLIF(c.rating_last_value, 0) AS rating,
                company.currency_id,
                c.amount_claimed,
                c.amount_granted,
                c.amount_refunded
            """,
            stage=self._stage_sql(),
        )

    def _from(self):
        return SQL(
            """
            FROM crm_complaint c
            JOIN res_company company ON company.id = c.company_id
            LEFT JOIN res_partner p ON p.id = c.commercial_partner_id
            LEFT JOIN product_product pp ON pp.id = c.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """
        )

    def _query(self):
        return SQL("%s %s", self._select(), self._from())

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
