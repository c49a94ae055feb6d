# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import demo_history

_logger = logging.getLogger(__name__)

# documents created and posted per create() / action_post() call
DEMO_BATCH = 250


class CrmSegmentMatrix(models.Model):
    _inherit = "crm.segment.matrix"

    @api.model
    def _demo_generate_history(self, count=300, seed=42, prefix="demo_history"):
        """Demo data: ``count`` invented customers of the main company with
        three years of confirmed sale orders and posted invoices (paid, except
        the recent ones and those of a few late payers), from the seeded plan
        of ``demo_history.plan``. The customers get the XML ids
        ``crm_segmentation.<prefix>_partner_<n>``; when the first exists,
        nothing is done (the history is generated once).

        :return: the customers created (res.partner)
        """
        company = self.env.ref("base.main_company")
        first = f"crm_segmentation.{prefix}_partner_0001"
        if self.env.ref(first, raise_if_not_found=False):
            return self.env["res.partner"]
        # the documents are history: no tracking, and the lifecycle events
        # are left out (the facts and stages are computed once at the end)
        env = (
            self.with_company(company)
            .with_context(
                tracking_disable=True,
                mail_notrack=True,
                mail_create_nolog=True,
                lifecycle_disable=True,
            )
            .env
        )
        plan = demo_history.plan(count=count, seed=seed)
        products = self._demo_history_products(env)
        partners = self._demo_history_partners(env, plan, prefix)
        today = fields.Date.context_today(self)
        orders = self._demo_history_orders(env, plan, partners, products, today)
        invoices = self._demo_history_invoices(env, orders)
        self._demo_history_payments(env, plan, partners, invoices, today)
        self._demo_history_analyse(partners, company, today)
        _logger.info(
            "Demo history: %s customers, %s orders, %s invoices",
            len(partners),
            len(orders),
            len(invoices),
        )
        return partners

    @api.model
    def _demo_history_analyse(self, partners, company, today):
        """Lifecycle facts and stages of the new customers, then the company's
        customer value model fitted with a holdout check on the last year (the
        RFM, the matrices and the cross-sell rules follow in the demo data).
        A fit that fails is logged: the demo installs without it."""
        partners._lifecycle_refresh_facts()
        partners._lifecycle_apply_rules()
        model = self.env["crm.clv.model"].with_company(company)._for_company(company)
        if not model.date_holdout:
            model.date_holdout = today - timedelta(days=365)
        try:
            with self.env.cr.savepoint():
                model.action_fit()
        except UserError as error:
            _logger.warning("Demo history: the customer value model: %s", error)
        return model

    @api.model
    def _demo_history_products(self, env):
        """The catalogue of the plan, by default code (created once)."""
        Product = env["product.product"]
        codes = [code for code, _name, _price in demo_history.CATALOGUE]
        existing = Product.search([("default_code", "in", codes)])
        by_code = {product.default_code: product for product in existing}
        missing = [line for line in demo_history.CATALOGUE if line[0] not in by_code]
        if missing:
            created = Product.create(
                [
                    {
                        "name": name,
                        "default_code": code,
                        "list_price": price,
                        "standard_price": round(price * 0.6, 2),
                        "type": "consu",
                        "invoice_policy": "order",
                    }
                    for code, name, price in missing
                ]
            )
            by_code.update({product.default_code: product for product in created})
        return by_code

    @api.model
    def _demo_history_partners(self, env, plan, prefix):
        """The customers of the plan, with their XML ids; most belong to the
        administrator (the default "my customers" of the churn list)."""
        salespeople = env.ref("base.user_admin") | env["res.users"].search(
            [("share", "=", False), ("company_ids", "in", env.company.id)],
            order="id",
            limit=3,
        )
        term = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
        country = env.company.country_id
        partners = env["res.partner"].create(
            [
                {
                    "name": customer.name,
                    "is_company": True,
                    "country_id": country.id,
                    "email": "purchasing@{}.example.com".format(
                        "-".join(customer.name.lower().replace("&", "and").split())
                    ),
                    "user_id": (
                        salespeople[index % len(salespeople)]
                        if index % 4 == 3
                        else salespeople[0]
                    ).id,
                    "property_payment_term_id": term.id if term else False,
                }
                for index, customer in enumerate(plan)
            ]
        )
        env["ir.model.data"].create(
            [
                {
                    "module": "crm_segmentation",
                    "name": f"{prefix}_partner_{index:04d}",
                    "model": "res.partner",
                    "res_id": partner.id,
                    "noupdate": True,
                }
                for index, partner in enumerate(partners, start=1)
            ]
        )
        return partners

    @api.model
    def _demo_history_orders(self, env, plan, partners, products, today):
        """One confirmed sale order per purchase, dated on its day. The demo
        history is past business: no procurement (no deliveries to do)."""
        values, days = [], []
        for customer, partner in zip(plan, partners, strict=True):
            for day, lines in customer.purchases:
                days.append(day)
                values.append(
                    {
                        "partner_id": partner.id,
                        "company_id": env.company.id,
                        "user_id": partner.user_id.id,
                        "order_line": [
                            fields.Command.create(
                                {
                                    "product_id": products[code].id,
                                    "product_uom_qty": quantity,
                                }
                            )
                            for code, quantity in lines
                        ],
                    }
                )
        SaleOrder = env["sale.order"].with_context(skip_procurement=True)
        orders = SaleOrder.browse()
        for start in range(0, len(values), DEMO_BATCH):
            batch = SaleOrder.create(values[start : start + DEMO_BATCH])
            batch.action_confirm()
            orders |= batch
        # the confirmation dates the orders today: date them on their day
        by_day = defaultdict(list)
        for order, day in zip(orders, days, strict=True):
            by_day[day].append(order.id)
        # and so are their interactions (logged at the confirmation): a
        # customer's last contact is its last purchase, not the installation
        interactions = env["crm.interaction"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        )
        by_order = interactions.grouped("res_id")
        for day, ids in by_day.items():
            moment = datetime.combine(today - timedelta(days=day), time(10, 0))
            orders.browse(ids).write({"date_order": moment})
            logged = interactions.browse().union(
                *(by_order.get(order_id, interactions.browse()) for order_id in ids)
            )
            logged.write({"date": moment})
        return orders

    @api.model
    def _demo_history_invoices(self, env, orders):
        """One posted invoice per order, on the order's day, linked to the
        order lines (the orders show as invoiced)."""
        Move = env["account.move"]
        invoices = Move.browse()
        ordered = orders.sorted(lambda order: (order.date_order, order.id))
        for start in range(0, len(ordered), DEMO_BATCH):
            batch = Move.create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": order.company_id.id,
                        "partner_id": order.partner_id.id,
                        "invoice_date": order.date_order.date(),
                        "invoice_user_id": order.user_id.id,
                        "invoice_origin": order.name,
                        "invoice_line_ids": [
                            fields.Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "quantity": line.product_uom_qty,
                                    "price_unit": line.price_unit,
                                    "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                                    "sale_line_ids": [fields.Command.set(line.ids)],
                                }
                            )
                            for line in order.order_line
                        ],
                    }
                    for order in ordered[start : start + DEMO_BATCH]
                ]
            )
            batch.action_post()
            invoices |= batch
        return invoices

    @api.model
    def _demo_history_payments(self, env, plan, partners, invoices, today):
        """Pay the invoices, one payment per customer and quarter three weeks
        after the quarter: all but those of the last 40 days and the last two
        invoices of the late payers (overdue). The payments are created and
        posted in one batch and matched with their invoices in one
        reconciliation (the payment wizard reconciles payment by payment)."""
        late = {
            partner.id
            for customer, partner in zip(plan, partners, strict=True)
            if customer.late_payer
        }
        unpaid = invoices.browse()
        for partner_id in late:
            unpaid |= invoices.filtered(
                lambda move, p=partner_id: move.partner_id.id == p
            ).sorted("invoice_date")[-2:]
        groups = defaultdict(lambda: invoices.browse())
        for invoice in invoices - unpaid:
            date = invoice.invoice_date
            if (today - date).days > 40:
                quarter = fields.Date.end_of(date, "quarter")
                groups[(invoice.partner_id.id, quarter)] |= invoice
        if not groups:
            return env["account.payment"]
        journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
        )
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner_id,
                    "journal_id": journal.id,
                    "amount": sum(moves.mapped("amount_residual")),
                    "date": min(quarter + timedelta(days=21), today),
                    "memo": ", ".join(moves.mapped("name")),
                }
                for (partner_id, quarter), moves in groups.items()
            ]
        )
        payments.action_post()
        receivable = self._demo_history_receivable_lines
        env["account.move.line"]._reconcile_plan(
            [
                receivable(payment.move_id) | receivable(moves)
                for payment, moves in zip(payments, groups.values(), strict=True)
            ]
        )
        return payments

    @api.model
    def _demo_history_receivable_lines(self, moves):
        return moves.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        )
