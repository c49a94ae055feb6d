# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.models.res_partner_facts import FACT_ATTRS

from ..facts import COMPLAINTS
from .crm_complaint import HIGH_PRIORITIES

# the groups with read access to (some) complaints
COMPLAINT_READERS = (
    "crm_complaints.group_complaint_user,sales_team.group_sale_salesman,"
    "account.group_account_invoice,stock.group_stock_user"
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_counts",
        groups=COMPLAINT_READERS,
    )
    complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_complaint_counts",
        groups=COMPLAINT_READERS,
    )
    complaint_disputed_invoice_count = fields.Integer(
        string="Disputed Invoices",
        compute="_compute_complaint_disputed_invoice_count",
        search="_search_complaint_disputed_invoice_count",
        groups="base.group_user",
    )

    complaint_customer_ids = fields.One2many(
        "crm.complaint",
        "commercial_partner_id",
        string="Complaints of the Customer",
        help="The complaints of the customer company, its contacts' included (set "
        "on commercial partners).",
        groups="base.group_user",
    )
    complaint_recent_count = fields.Integer(
        string="Complaints (12 Months)",
        **FACT_ATTRS,
        groups="base.group_user",
        help="Complaints and claims the customer filed in the last 12 months "
        "(requests, suggestions and questions are not counted).",
    )
    complaint_breached_high_priority = fields.Boolean(
        string="Breached High-Priority Complaint",
        compute="_compute_complaint_breached_high_priority",
        search="_search_complaint_breached_high_priority",
        help="The customer has an open complaint of high or urgent priority whose "
        "SLA is breached in the company (used by the lifecycle rule that moves it "
        "to at risk).",
        groups="base.group_user",
    )

    @api.model
    def _lifecycle_fact_groups(self):
        """Complaints are customer behaviour: the lifecycle rules and the
        segmentation can use them like orders and payments."""
        groups = super()._lifecycle_fact_groups()
        groups[COMPLAINTS.name] = COMPLAINTS
        return groups

    def _compute_complaint_counts(self):
        """Complaints of the customer company (its contacts included), counted
        for all the partners with one query."""
        customers = self.commercial_partner_id
        groups = self.env["crm.complaint"]._read_group(
            [("commercial_partner_id", "in", customers.ids)],
            ["commercial_partner_id", "is_closed"],
            ["__count"],
        )
        total, still_open = {}, {}
        for customer, is_closed, count in groups:
            total[customer.id] = total.get(customer.id, 0) + count
            if not is_closed:
                still_open[customer.id] = still_open.get(customer.id, 0) + count
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.complaint_count = total.get(key, 0)
            partner.complaint_open_count = still_open.get(key, 0)

    @api.depends_context("company")
    def _compute_complaint_breached_high_priority(self):
        """Read for the customers of ``self`` only, in one light query: the
        rules evaluate it on every event of a customer (an order confirmed,
        an invoice posted...), whatever the number of complaints. A fact of
        the current company, as the stored facts: its complaints and those of
        no company."""
        customer_ids = [id_ for id_ in self.commercial_partner_id.ids if id_]
        breached = set()
        if customer_ids:
            self._complaint_flush_breached()
            # sudo: lifecycle rules are evaluated for every customer, whoever
            # triggers them
            breached = {
                customer_id
                for (customer_id,) in self.env.execute_query(
                    SQL(
                        "SELECT DISTINCT commercial_partner_id FROM crm_complaint c"
                        " WHERE commercial_partner_id = ANY(%s) AND %s",
                        customer_ids,
                        self._complaint_breached_sql("c"),
                    )
                )
            }
        for partner in self:
            partner.complaint_breached_high_priority = (
                partner.commercial_partner_id.id in breached
            )

    @api.model
    def _complaint_flush_breached(self):
        """Write the pending values ``_complaint_breached_sql`` reads."""
        self.env["crm.complaint"].flush_model(
            [
                "commercial_partner_id",
                "company_id",
                "is_closed",
                "sla_status",
                "priority",
            ]
        )

    @api.model
    def _complaint_breached_sql(self, alias):
        """The complaints (alias ``alias``) that make their customer's
        ``complaint_breached_high_priority``: open, breached, high priority,
        of the current company or of none."""
        return SQL(
            "%(alias)s.is_closed IS NOT TRUE AND %(alias)s.sla_status = 'breached'"
            " AND %(alias)s.priority IN %(priorities)s"
            " AND (%(alias)s.company_id = %(company)s"
            " OR %(alias)s.company_id IS NULL)",
            alias=SQL.identifier(alias),
            priorities=HIGH_PRIORITIES,
            company=self.env.company.id,
        )

    @api.model
    def _lifecycle_live_facts(self):
        """A breached high-priority complaint moves a customer to at risk: the
        rules read it on every event of a customer (an order confirmed, an
        invoice posted...), in the round trip of the event's facts."""
        return (*super()._lifecycle_live_facts(), "complaint_breached_high_priority")

    @api.model
    def _lifecycle_live_fact_sql(self, alias, fname):
        if fname != "complaint_breached_high_priority":
            return super()._lifecycle_live_fact_sql(alias, fname)
        self._complaint_flush_breached()
        return SQL(
            "EXISTS(SELECT 1 FROM crm_complaint c"
            " WHERE c.commercial_partner_id = %s AND %s)",
            SQL.identifier(alias, "commercial_partner_id"),
            self._complaint_breached_sql("c"),
        )

    @api.model
    def _search_complaint_breached_high_priority(self, operator, value):
        """A sub-query, not a query: lifecycle rules match all the customers in
        a single SQL statement (see crm_lifecycle's ``_lifecycle_match_rules``)."""
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        if operator in ("in", "not in"):
            positive = (True in value) == (operator == "in")
        else:
            positive = bool(value) == (operator == "=")
        breached = [
            ("is_closed", "=", False),
            ("sla_status", "=", "breached"),
            ("priority", "in", HIGH_PRIORITIES),
            ("company_id", "in", [self.env.company.id, False]),
        ]
        return [
            (
                "commercial_partner_id.complaint_customer_ids",
                "any!" if positive else "not any!",
                breached,
            )
        ]

    def _compute_complaint_disputed_invoice_count(self):
        # sudo: a count of the customer's disputed invoices, in the user's
        # companies, is shown to every employee (no amounts, no documents)
        customers = self.commercial_partner_id
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("complaint_disputed", "=", True),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        counts = {customer.id: count for customer, count in groups}
        for partner in self:
            partner.complaint_disputed_invoice_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    @api.model
    def _search_complaint_disputed_invoice_count(self, operator, value):
        if operator not in ("=", "!=", ">", ">=", "<", "<=", "in", "not in"):
            return NotImplemented
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("complaint_disputed", "=", True),
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        counts = {customer.id: count for customer, count in groups}

        def matches(count):
            if operator in ("in", "not in"):
                found = count in value
                return found if operator == "in" else not found
            return {
                "=": count == value,
                "!=": count != value,
                ">": count > value,
                ">=": count >= value,
                "<": count < value,
                "<=": count <= value,
            }[operator]

        if matches(0):
            # partners without disputed invoices match too: exclude the others
            excluded = [cid for cid, count in counts.items() if not matches(count)]
            return [("commercial_partner_id", "not in", excluded)]
        return [
            (
                "commercial_partner_id",
                "in",
                [cid for cid, count in counts.items() if matches(count)],
            )
        ]

    # ------------------------------------------------------------
    # LIFECYCLE: customer summary, personal data
    # ------------------------------------------------------------

    @api.model
    def _lifecycle_guarded_prefixes(self):
        """Complaint counts and flags judge the customer too (see
        crm_lifecycle's need to know)."""
        return super()._lifecycle_guarded_prefixes() + ("complaint_",)

    @api.model
    def _lifecycle_own_customers_only(self):
        """Customer service serves every customer: an agent knows the
        customer it answers, whoever its salesperson is (the complaint groups
        imply "own documents only" for sales)."""
        if self.env.user.has_group("crm_complaints.group_complaint_user"):
            return False
        return super()._lifecycle_own_customers_only()

    def _lifecycle_summary_values(self, rights):
        """Open and breached complaints in the customer summary (one query for
        all the partners)."""
        values = super()._lifecycle_summary_values(rights)
        customers = self.commercial_partner_id
        # counted with the reader's rights: the summary never counts a
        # complaint its reader may not open
        Complaint = self.env["crm.complaint"].with_user(self.env.uid)
        groups = []
        if Complaint.has_access("read"):
            groups = Complaint._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("is_closed", "=", False),
                ],
                ["commercial_partner_id", "sla_status"],
                ["__count"],
            )
        still_open, breached = defaultdict(int), defaultdict(int)
        for customer, sla_status, count in groups:
            still_open[customer.id] += count
            if sla_status == "breached":
                breached[customer.id] += count
        for partner, partner_values in values.items():
            key = partner.commercial_partner_id.id
            partner_values["complaint_open_count"] = still_open[key]
            partner_values["complaint_breached_count"] = breached[key]
        return values

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_complaints.crm_complaint_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_disputed_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("complaint_disputed", "=", True),
        ]
        action["context"] = {"create": False}
        return action
