# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.account_payment.tests.common import AccountPaymentCommon

# a 1x1 PNG, the customer's signature
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestTimelinePortal(HttpCase):
    """What the customer does in the portal reaches the timeline with the
    channel *Customer portal*."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Azure Interior",
                "is_company": True,
                "email": "info@azure.example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Brandon Freeman",
                "email": "brandon@azure.example.com",
                "parent_id": cls.customer.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Office chair", "list_price": 100.0, "type": "consu"}
        )

    def _quotation(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact.id,
                "require_signature": True,
                "require_payment": False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_quotation_sent()
        return order

    def _interactions(self, order, interaction_type):
        self.env.flush_all()
        self.env.cr.flush()
        return self.env["crm.interaction"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("interaction_type", "=", interaction_type),
            ]
        )

    def test_quotation_signed_in_the_portal(self):
        order = self._quotation()
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Brandon Freeman",
                "signature": PNG,
            },
        )
        self.assertFalse(result.get("error"), result)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Brandon Freeman")
        confirmed = self._interactions(order, "order")
        self.assertEqual(len(confirmed), 1)
        self.assertEqual(confirmed.channel, "portal")
        self.assertEqual(confirmed.partner_id, self.customer)
        # the customer's own message ("Order signed by...") is theirs, inbound
        signed = self._interactions(order, "email").filtered(
            lambda i: i.direction == "inbound"
        )
        self.assertEqual(len(signed), 1)
        self.assertEqual(signed.channel, "portal")
        self.assertEqual(signed.contact_id, self.contact)

    def test_quotation_confirmed_by_the_salesperson_stays_a_document(self):
        order = self._quotation()
        order.action_confirm()
        self.assertEqual(self._interactions(order, "order").channel, "system")


@tagged("post_install", "-at_install")
class TestTimelinePaidOnline(AccountPaymentCommon):
    """An order the customer paid online is confirmed by its transaction: it
    reaches the timeline with the channel *Customer portal*, read from how it
    was confirmed (no query on the order's transactions at each
    confirmation)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the payment tests run as a user without sales rights: the order is
        # the administrator's
        cls.env = cls.env(user=cls.env.ref("base.user_admin"))

    def _order(self):
        customer = self.env["res.partner"].create(
            {"name": "Deco Addict", "is_company": True, "email": "deco@example.com"}
        )
        product = self.env["product.product"].create(
            {"name": "Desk lamp", "list_price": 80.0, "type": "consu"}
        )
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "require_payment": True,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _confirmed(self, order):
        self.env.flush_all()
        return self.env["crm.interaction"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("interaction_type", "=", "order"),
            ]
        )

    def test_order_paid_online(self):
        order = self._order()
        self.amount = order.amount_total
        self.currency = order.currency_id
        self.partner = order.partner_id
        tx = self._create_transaction(
            flow="redirect", sale_order_ids=[order.id], state="done"
        )
        tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._confirmed(order).channel, "portal")

    def test_order_confirmed_by_the_salesperson_after_a_payment_is_a_document(self):
        """A payment that did not reach the amount to confirm leaves the order
        to the salesperson: their confirmation is a document, not the
        customer's."""
        order = self._order()
        self.amount = order.amount_total / 4
        self.currency = order.currency_id
        self.partner = order.partner_id
        tx = self._create_transaction(
            flow="redirect", sale_order_ids=[order.id], state="done"
        )
        tx._post_process()
        self.assertEqual(order.state, "draft")
        order.action_confirm()
        self.assertEqual(self._confirmed(order).channel, "system")
