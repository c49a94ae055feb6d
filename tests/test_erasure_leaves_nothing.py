# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""After an erasure request, the customer's and its contacts' e-mail addresses
and phones appear nowhere in the database but in the accounting documents the
law keeps: every text column of every table is searched."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

EMAIL = "erase.me.7731@example.com"
CONTACT_EMAIL = "brenda.erase.4419@example.com"
PHONE = "+34 600 771 199"
CONTACT_PHONE = "+34 611 442 919"
# Where they may stay, with the reason. None: the posted documents keep the
# customer's name (account_move.invoice_partner_display_name), not its e-mail
# or phone.
ALLOWED = set()


@tagged("post_install", "-at_install")
class TestErasureLeavesNothing(TransactionCase):
    def test_erasure_leaves_nothing(self):
        env = self.env
        custodian = new_test_user(
            env, "erase_custodian", groups="sales_team.group_sale_manager"
        )
        env.company.lifecycle_data_custodian_id = custodian
        customer = env["res.partner"].create(
            {"name": "Erase Co", "is_company": True, "email": EMAIL, "phone": PHONE}
        )
        portal = new_test_user(
            env,
            CONTACT_EMAIL,
            groups="base.group_portal",
            name="Brenda Erase",
            email=CONTACT_EMAIL,
        )
        contact = portal.partner_id
        contact.write({"parent_id": customer.id, "phone": CONTACT_PHONE})
        # a lead from the website form, with what the visitor typed
        lead = env["crm.lead"].create(
            {
                "name": "Wants desks",
                "partner_id": contact.id,
                "email_from": CONTACT_EMAIL,
                "phone": CONTACT_PHONE,
                "contact_name": "Brenda Erase",
                "description": f"Call me on {CONTACT_PHONE} or {CONTACT_EMAIL}",
            }
        )
        # a quotation sent, confirmed, delivered, invoiced and paid
        product = env["product.product"].create(
            {"name": "Desk", "type": "consu", "list_price": 100.0}
        )
        order = env["sale.order"].create(
            {
                "partner_id": contact.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.message_post(
            body=f"Customer asked to be called on {CONTACT_PHONE}",
            partner_ids=contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        order.with_user(portal).sudo().message_post(
            body=f"Please write to {CONTACT_EMAIL}",
            author_id=contact.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        # an activity, a meeting, an e-mail in the queue, a call in the timeline
        customer.activity_schedule(
            "mail.mail_activity_data_call",
            note=f"Call {PHONE}",
            user_id=env.user.id,
        )
        env["calendar.event"].create(
            {
                "name": "Desk fitting",
                "start": fields.Datetime.now() + timedelta(days=1),
                "stop": fields.Datetime.now() + timedelta(days=1, hours=1),
                "partner_ids": [Command.link(contact.id)],
            }
        )
        env["mail.mail"].create(
            {"email_to": CONTACT_EMAIL, "subject": "Hello", "body_html": "<p>Hi</p>"}
        )
        env["crm.interaction"].create(
            {
                "name": f"Called {PHONE}",
                "partner_id": customer.id,
                "description": f"<p>{EMAIL}</p>",
            }
        )
        # a closed complaint with the customer's words
        if "crm.complaint" in env:
            complaint = env["crm.complaint"].create(
                {
                    "subject": "Scratched",
                    "partner_id": contact.id,
                    "description": f"<p>Reach me at {CONTACT_PHONE}</p>",
                }
            )
            complaint.action_close()
        if "mailing.contact" in env:
            env["mailing.contact"].create({"name": "Brenda", "email": CONTACT_EMAIL})
        self.assertTrue(self._found(), "the test must find them before")

        customer.with_user(custodian).action_lifecycle_anonymize()

        self.assertEqual(self._found() - ALLOWED, set())
        self.assertFalse(portal.active)
        self.assertTrue(lead.exists())
        self.assertEqual(invoice.state, "posted")

    def _found(self):
        """(table, column) of every text column holding one of the values."""
        env = self.env
        env.flush_all()
        columns = env.execute_query(
            SQL(
                """
                SELECT c.table_name, c.column_name
                  FROM information_schema.columns c
                  JOIN information_schema.tables t
                    ON t.table_name = c.table_name
                   AND t.table_schema = c.table_schema
                 WHERE c.table_schema = 'public'
                   AND t.table_type = 'BASE TABLE'
                   AND c.data_type IN ('character varying', 'text', 'jsonb')
                """
            )
        )
        needles = [
            value.lower() for value in (EMAIL, CONTACT_EMAIL, PHONE, CONTACT_PHONE)
        ]
        found = set()
        for table, column in columns:
            condition = SQL(" OR ").join(
                SQL("lower(%s::text) LIKE %s", SQL.identifier(column), f"%{n}%")
                for n in needles
            )
            hit = env.execute_query(
                SQL(
                    "SELECT 1 FROM %s WHERE %s LIMIT 1",
                    SQL.identifier(table),
                    condition,
                )
            )
            if hit:
                found.add((table, column))
        return found
