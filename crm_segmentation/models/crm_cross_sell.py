# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmCrossSellRule(models.Model):
    """Association rule "customers who bought A also bought B".

    Baskets are customers (commercial partners), not orders: the basket of a
    customer is the set of products on its confirmed sale orders of the company.
    In B2B a customer spreads related products over several orders, so the
    customer basket captures the association an order basket would miss.
    support = customers with A and B / customers, confidence = customers with A
    and B / customers with A, lift = confidence / (customers with B / customers).
    """

    _name = "crm.cross.sell.rule"
    _description = "Cross-sell Rule"
    _order = "company_id, lift desc, confidence desc, id"

    company_id = fields.Many2one("res.company", required=True, index=True)
    product_a_id = fields.Many2one(
        "product.product", string="Bought", required=True, ondelete="cascade"
    )
    product_b_id = fields.Many2one(
        "product.product",
        string="Also Bought",
        required=True,
        index=True,
        ondelete="cascade",
    )
    pair_count = fields.Integer(
        string="Customers",
        help="Customers who bought both products: the rule rests on them (at "
        "least the company's minimum).",
    )
    support = fields.Float(digits=(16, 4), aggregator="max")
    confidence = fields.Float(digits=(16, 4), aggregator="max")
    lift = fields.Float(digits=(16, 3), aggregator="max")

    _pair_uniq = models.UniqueIndex("(company_id, product_a_id, product_b_id)")

    @api.model
    def _sold_lines_condition(self, company):
        """The product lines of the company's confirmed orders (``line``
        joined to its order ``sale``)."""
        return SQL(
            """
                sale.state = 'sale'
            AND sale.company_id = %s
            AND line.product_id IS NOT NULL
            AND line.display_type IS NULL
            AND NOT COALESCE(line.is_downpayment, FALSE)
            """,
            company.id,
        )

    @api.model
    def _basket_query(self, company):
        """Distinct (customer, product) of the company's confirmed orders."""
        return SQL(
            """
            SELECT DISTINCT partner.commercial_partner_id AS customer,
                   line.product_id
              FROM sale_order_line line
              JOIN sale_order sale ON sale.id = line.order_id
              JOIN res_partner partner ON partner.id = sale.partner_id
             WHERE %s
            """,
            self._sold_lines_condition(company),
        )

    @api.model
    def _line_value_query(self, company):
        """(product, value): the average untaxed amount of a confirmed order
        line of the product in the company, in the company's currency (the
        order's amount over its currency rate). What selling the product
        typically brings: the expected value of a suggestion is it times the
        confidence."""
        return SQL(
            """
            SELECT line.product_id,
                   AVG(line.price_subtotal
                       / COALESCE(NULLIF(sale.currency_rate, 0), 1)) AS value
              FROM sale_order_line line
              JOIN sale_order sale ON sale.id = line.order_id
             WHERE %s
          GROUP BY line.product_id
            """,
            self._sold_lines_condition(company),
        )

    @api.model
    def _recompute(self, companies=None):
        """Recompute the rules and then the suggestions of the companies, with one
        INSERT ... SELECT each per company (set-based, whatever the volume)."""
        self.check_access("create")
        companies = companies or self.env.companies
        self.env["sale.order.line"].flush_model()
        self.env["sale.order"].flush_model(["state", "company_id", "partner_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        for company in companies:
            self._recompute_company(company)
        self.env["crm.cross.sell.suggestion"]._recompute(companies)
        self.invalidate_model()
        return True

    def _recompute_company(self, company):
        self.env.cr.execute(
            SQL("DELETE FROM crm_cross_sell_rule WHERE company_id = %s", company.id)
        )
        self.env.cr.execute(
            SQL(
                """
                WITH basket AS (%(basket)s),
                     total AS (SELECT COUNT(DISTINCT customer) AS n FROM basket),
                     item AS (SELECT product_id, COUNT(*) AS n
                                FROM basket GROUP BY product_id),
                     pair AS (SELECT a.product_id AS product_a,
                                     b.product_id AS product_b,
                                     COUNT(*) AS n
                                FROM basket a
                                JOIN basket b
                                  ON b.customer = a.customer
                                 AND b.product_id <> a.product_id
                            GROUP BY 1, 2)
                INSERT INTO crm_cross_sell_rule (
                       company_id, product_a_id, product_b_id, pair_count,
                       support, confidence, lift,
                       create_uid, write_uid, create_date, write_date)
                SELECT %(company)s, pair.product_a, pair.product_b, pair.n,
                       pair.n::float8 / total.n,
                       pair.n::float8 / item_a.n,
                       pair.n::float8 * total.n / (item_a.n * item_b.n),
                       %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM pair
                  JOIN item item_a ON item_a.product_id = pair.product_a
                  JOIN item item_b ON item_b.product_id = pair.product_b
                 CROSS JOIN total
                 WHERE pair.n >= %(min_customers)s
                   AND pair.n::float8 / total.n >= %(min_support)s
                   AND pair.n::float8 / item_a.n >= %(min_confidence)s
                """,
                basket=self._basket_query(company),
                company=company.id,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                min_customers=company.segment_cross_sell_min_customers,
                min_support=company.segment_cross_sell_min_support / 100.0,
                min_confidence=company.segment_cross_sell_min_confidence / 100.0,
            )
        )

    def action_recompute(self):
        """Recompute now, and say what came out (a notification, then the
        list reloads)."""
        companies = self.env.companies
        self._recompute(companies)
        domain = [("company_id", "in", companies.ids)]
        rules = self.search_count(domain)
        suggestions = self.env["crm.cross.sell.suggestion"].search_count(domain)
        min_customers = min(companies.mapped("segment_cross_sell_min_customers"))
        if rules:
            message = self.env._(
                "%(rules)s rules, each bought together by at least "
                "%(min_customers)s customers; %(suggestions)s products suggested "
                "to customers.",
                rules=rules,
                min_customers=min_customers,
                suggestions=suggestions,
            )
        else:
            message = self.env._(
                "No pair of products was bought together by at least "
                "%(min_customers)s customers: no rule (the minimum is a "
                "setting of the company).",
                min_customers=min_customers,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Cross-sell recomputed"),
                "message": message,
                "type": "success" if rules else "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_recompute(self):
        companies = self.env["res.company"].search([])
        self._recompute(companies)


class CrmCrossSellSuggestion(models.Model):
    """Products suggested to a customer: the products B of the rules A -> B for
    the products A it bought, that it has never bought, best lift first."""

    _name = "crm.cross.sell.suggestion"
    _description = "Cross-sell Suggestion"
    _order = "partner_id, sequence, id"

    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")
    sequence = fields.Integer(string="Rank")
    score = fields.Float(
        digits=(16, 3),
        help="Best lift of the rules suggesting the product: how much more likely "
        "than average the customer is to buy it.",
    )
    confidence = fields.Float(
        digits=(16, 4),
        help="Best confidence of the rules suggesting the product: the share of "
        "the customers who bought the first product that also bought this one.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    expected_value = fields.Monetary(
        help="What offering the product to the customer is worth: the confidence "
        "(how likely the customer buys it) times the average untaxed amount of "
        "a confirmed order line of the product in the company (what selling it "
        "typically brings), in the company's currency.",
    )
    is_best_offer = fields.Boolean(
        string="Best Offer",
        help="The customer's suggestion with the highest expected value: the "
        "one its call list shows.",
    )

    _partner_product_uniq = models.UniqueIndex("(company_id, partner_id, product_id)")

    @api.model
    def _recompute(self, companies):
        Rule = self.env["crm.cross.sell.rule"]
        for company in companies:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM crm_cross_sell_suggestion WHERE company_id = %s",
                    company.id,
                )
            )
            self.env.cr.execute(
                SQL(
                    """
                    WITH basket AS (%(basket)s),
                         candidate AS (
                        SELECT basket.customer, rule.product_b_id AS product_id,
                               MAX(rule.lift) AS lift,
                               MAX(rule.confidence) AS confidence
                          FROM basket
                          JOIN crm_cross_sell_rule rule
                            ON rule.product_a_id = basket.product_id
                           AND rule.company_id = %(company)s
                          JOIN product_product product
                            ON product.id = rule.product_b_id AND product.active
                          JOIN product_template template
                            ON template.id = product.product_tmpl_id
                           AND template.active AND template.sale_ok
                           AND (template.company_id IS NULL
                                OR template.company_id = %(company)s)
                         WHERE NOT EXISTS (
                                SELECT 1 FROM basket bought
                                 WHERE bought.customer = basket.customer
                                   AND bought.product_id = rule.product_b_id)
                      GROUP BY 1, 2),
                         line_value AS (%(line_value)s),
                         ranked AS (
                        SELECT candidate.*,
                               candidate.confidence
                               * COALESCE(line_value.value, 0) AS expected_value,
                               ROW_NUMBER() OVER (
                                   PARTITION BY customer
                                   ORDER BY lift DESC, confidence DESC, product_id
                               ) AS rank
                          FROM candidate
                     LEFT JOIN line_value USING (product_id)),
                         kept AS (
                        SELECT ranked.*, ROW_NUMBER() OVER (
                                   PARTITION BY customer
                                   ORDER BY expected_value DESC, rank
                               ) AS value_rank
                          FROM ranked
                         WHERE rank <= %(limit)s)
                    INSERT INTO crm_cross_sell_suggestion (
                           company_id, partner_id, product_id, sequence, score,
                           confidence, expected_value, is_best_offer,
                           create_uid, write_uid, create_date, write_date)
                    SELECT %(company)s, customer, product_id, rank, lift,
                           confidence,
                           ROUND(expected_value::numeric, %(digits)s),
                           value_rank = 1, %(uid)s, %(uid)s, %(now)s, %(now)s
                      FROM kept
                    """,
                    basket=Rule._basket_query(company),
                    line_value=Rule._line_value_query(company),
                    company=company.id,
                    uid=self.env.uid,
                    now=fields.Datetime.now(),
                    limit=company.segment_cross_sell_limit,
                    digits=company.currency_id.decimal_places,
                )
            )
        self.invalidate_model()

    def action_add_to_order(self):
        """Add the suggested product as a line of the quotation in context."""
        self.ensure_one()
        order = self.env["sale.order"].browse(
            self.env.context.get("cross_sell_order_id")
        )
        if not order.exists() or order.state not in ("draft", "sent"):
            raise UserError(self.env._("Suggestions can only be added to a quotation."))
        self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.product_id.id}
        )
        return True
