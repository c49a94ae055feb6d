# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command

from odoo.addons.sale.tests.common import SaleCommon


class LifecycleCommon(SaleCommon):
    """Real documents for one customer company: orders, deliveries, invoices,
    payments and leads, with the chatter enabled (the moves are logged there)."""

    @classmethod
    def default_env_context(cls):
        return {"mail_create_nosubscribe": True, "no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stage = cls.env["crm.lifecycle.stage"]
        cls.stages = {stage.code: stage for stage in cls.Stage.search([])}
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Sam Salesman",
                "login": "lc_salesman",
                "email": "sam@example.com",
                "group_ids": [Command.link(cls.env.ref(SALESMAN).id)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Azure Interior",
                "is_company": True,
                "email": "info@azure.example.com",
                "user_id": cls.salesman.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Brandon Freeman", "parent_id": cls.customer.id}
        )
        cls.product.write({"list_price": 100.0, "type": "consu", "is_storable": False})

    def _lead(self, partner=None, **values):
        return self.env["crm.lead"].create(
            {
                "name": "Office chairs",
                "partner_id": (partner or self.customer).id,
                "type": "opportunity",
                **values,
            }
        )

    def _order(self, partner=None, qty=1.0, price=100.0, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _deliver(self, order):
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount if amount is not None else invoice.amount_total})
        )
        return wizard._create_payments()

    def flush_tracking(self):
        """Create the pending tracking messages (done at commit otherwise)."""
        self.env.flush_all()
        self.env.cr.flush()

    def assertStage(self, partner, code, msg=None):
        self.assertEqual(partner.lifecycle_stage_id.code, code, msg)


SALESMAN = "sales_team.group_sale_salesman"
