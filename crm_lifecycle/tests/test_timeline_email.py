# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
import uuid
from email.header import Header

from markupsafe import Markup
from psycopg2 import IntegrityError

from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.crm_interaction_email import QUEUE_KEY
from .common import LifecycleCommon

RAW_MAIL = """From: {email_from}
To: {email_to}
Subject: {subject}
Date: Mon, 30 Nov 2026 10:00:00 +0000
Message-ID: {msg_id}
{extra}MIME-Version: 1.0
Content-Type: {content_type}; charset="{charset}"
Content-Transfer-Encoding: 8bit

{body}
"""

BOUNCE_MAIL = """From: Mail Delivery System <MAILER-DAEMON@mx.azure.example.com>
To: {email_to}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 30 Nov 2026 10:00:00 +0000
Message-ID: <bounce-{stamp}@mx.azure.example.com>
In-Reply-To: {parent}
References: {parent}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

The mail system could not deliver your message.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.azure.example.com
Final-Recipient: rfc822; brandon@azure.example.com
Action: failed
Status: 5.1.1

--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestTimelineEmail(LifecycleCommon):
    """E-mails with customers reach their timeline by themselves: through the
    real mail gateway (raw e-mails), the chatter, the quotation and invoice
    composers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {
                "name": "nube.example.com",
                "bounce_alias": "bounce",
                "catchall_alias": "catchall",
            }
        )
        cls.env["res.company"].search([]).alias_domain_id = cls.alias_domain
        cls.contact.email = "brandon@azure.example.com"
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Deco Addict",
                "is_company": True,
                "email": "info@deco.example.com",
            }
        )
        cls.colleague = cls.env["res.users"].create(
            {
                "name": "Colette Colleague",
                "login": "lc_colleague",
                "email": "colette@nube.example.com",
                "group_ids": [
                    Command.link(cls.env.ref("sales_team.group_sale_salesman").id)
                ],
            }
        )
        cls.company = cls.env.company
        cls.company.lifecycle_email_logging = "customer_facing"
        cls.Interaction = cls.env["crm.interaction"]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _emails(self, partner=None, **domain):
        """The e-mail interactions (of a customer), once the transaction would
        commit (they are logged then, all at once)."""
        self.env.flush_all()
        self.env.cr.flush()
        conditions = [("interaction_type", "=", "email")]
        if partner:
            conditions.append(("partner_id", "=", partner.id))
        conditions += [(field, "=", value) for field, value in domain.items()]
        return self.Interaction.search(conditions)

    def _post(self, record, body="Your chairs are ready.", **kwargs):
        kwargs.setdefault("partner_ids", self.contact.ids)
        kwargs.setdefault("subtype_xmlid", "mail.mt_comment")
        kwargs.setdefault("message_type", "comment")
        return record.with_user(self.salesman).message_post(
            body=Markup("<p>%s</p>") % body, **kwargs
        )

    def _process(
        self,
        email_from,
        subject,
        body,
        *,
        charset="utf-8",
        email_to=None,
        parent=None,
        extra="",
        content_type="text/plain",
    ):
        """Feed a raw e-mail to the mail gateway, as the incoming mail server
        does (as the superuser)."""
        headers = extra
        if parent:
            headers += f"In-Reply-To: {parent}\nReferences: {parent}\n"
        raw = RAW_MAIL.format(
            email_from=email_from,
            email_to=email_to or "catchall@nube.example.com",
            subject=Header(subject, charset).encode(),
            msg_id=f"<{uuid.uuid4()}@azure.example.com>",
            extra=headers,
            content_type=content_type,
            charset=charset,
            body=body,
        )
        self.env["mail.thread"].sudo().message_process(False, raw.encode(charset))

    def _sent_order(self):
        order = self._order(confirm=False)
        message = self._post(order, subject="Your quotation")
        return order, message

    def _invoices(self, count, partner=None):
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.contact).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 100.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for _i in range(count)
            ]
        )
        invoices.action_post()
        return invoices

    # ------------------------------------------------------------------
    # outgoing
    # ------------------------------------------------------------------

    def test_chatter_message_to_a_contact_is_one_outbound_email(self):
        order, message = self._sent_order()
        email = self._emails(self.customer)
        self.assertEqual(len(email), 1)
        self.assertRecordValues(
            email,
            [
                {
                    "name": "Your quotation",
                    "direction": "outbound",
                    "channel": "email",
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "user_id": self.salesman.id,
                    "company_id": order.company_id.id,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "source_name": order.name,
                    "message_id": message.id,
                    "date": message.date,
                    "is_automatic": True,
                }
            ],
        )
        self.assertIn("Your chairs are ready.", email.description)
        # the customer's interaction facts follow
        self.assertEqual(self.customer.lifecycle_last_interaction_date, message.date)
        count = self.customer.lifecycle_interaction_count
        # a second e-mail on the same document is a second interaction
        second = self._post(order, body="Delivery on Monday.")
        emails = self._emails(self.customer)
        self.assertEqual(len(emails), 2)
        self.assertEqual(emails.message_id, message | second)
        self.assertEqual(
            emails.filtered(lambda e: e.message_id == second).name,
            f"E-mail: {order.name}",
            "a message without subject is named after its document",
        )
        self.assertEqual(self.customer.lifecycle_interaction_count, count + 1)

    def test_text_message_to_a_contact_is_one_outbound_sms(self):
        """An SMS sent from the chatter of an order (core posts it as a note)
        reached the customer: one outbound interaction, channel SMS."""
        if "sms.sms" not in self.env:
            self.fail("the sms module is installed with crm (crm_sms)")
        self.contact.phone = "+32 456 00 11 22"
        order = self._order(confirm=False)
        message = order.with_user(self.salesman)._message_sms(
            "Your chairs leave today", partner_ids=self.contact.ids, put_in_queue=True
        )
        self.assertEqual(message.message_type, "sms")
        self.assertFalse(self._emails(), "not an e-mail")
        self.env.flush_all()
        self.env.cr.flush()
        sms = self.Interaction.search(
            [("partner_id", "=", self.customer.id), ("interaction_type", "=", "sms")]
        )
        self.assertRecordValues(
            sms,
            [
                {
                    "name": f"Text message (SMS): {order.name}",
                    "direction": "outbound",
                    "channel": "sms",
                    "contact_id": self.contact.id,
                    "user_id": self.salesman.id,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "message_id": message.id,
                    "department": "sales",
                }
            ],
        )
        self.assertIn("Your chairs leave today", sms.description)
        # the company that logs no e-mail logs no text message either
        self.company.lifecycle_email_logging = "none"
        order._message_sms("Second", partner_ids=self.contact.ids, put_in_queue=True)
        self.env.flush_all()
        self.env.cr.flush()
        self.assertEqual(
            self.Interaction.search_count(
                [
                    ("partner_id", "=", self.customer.id),
                    ("interaction_type", "=", "sms"),
                ]
            ),
            1,
        )

    def test_notes_notifications_and_colleagues_are_not_logged(self):
        order = self._order(confirm=False)
        # an internal note, even mentioning the customer's contact
        self._post(order, subtype_xmlid="mail.mt_note")
        # a notification of the system (a tracked change)
        order.message_post(
            body=Markup("<p>Status changed</p>"),
            message_type="notification",
            subtype_xmlid="sale.mt_order_sent",
            partner_ids=self.contact.ids,
        )
        # a message from an employee to an employee
        self._post(order, partner_ids=self.colleague.partner_id.ids)
        # a message posted on a colleague's own partner
        self._post(self.colleague.partner_id, partner_ids=self.colleague.partner_id.ids)
        self.assertFalse(self._emails())

    def test_message_to_two_customers_logs_one_interaction_each(self):
        order = self._order(confirm=False)
        second_contact = self.env["res.partner"].create(
            {
                "name": "Amelia Azure",
                "email": "amelia@azure.example.com",
                "parent_id": self.customer.id,
            }
        )
        message = self._post(
            order,
            partner_ids=(self.contact | second_contact | self.other_customer).ids,
        )
        emails = self._emails()
        self.assertEqual(emails.partner_id, self.customer | self.other_customer)
        self.assertEqual(len(emails), 2, "one interaction per customer, not contact")
        self.assertEqual(set(emails.mapped("message_id")), {message})

    def test_followers_notified_by_email_are_the_recipients(self):
        order = self._order(confirm=False)
        order.message_subscribe(partner_ids=self.other_customer.ids)
        self._post(order, partner_ids=[])
        self.assertEqual(self._emails().partner_id, self.other_customer)

    def test_quotation_sent_by_email(self):
        order = self._order(confirm=False)
        action = order.action_quotation_send()
        composer = Form(
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        ).save()
        composer.action_send_mail()
        self.assertEqual(order.state, "sent")
        email = self._emails(self.customer)
        self.assertEqual(len(email), 1)
        self.assertEqual(email.res_model, "sale.order")
        self.assertEqual(email.res_id, order.id)
        self.assertEqual(email.direction, "outbound")
        self.assertEqual(email.user_id, self.salesman)
        self.assertIn(order.name, email.name)
        # the document event is still logged once, beside the e-mail
        quotation = self.Interaction.search(
            [("res_id", "=", order.id), ("interaction_type", "=", "quotation")]
        )
        self.assertEqual(len(quotation), 1)

    def test_invoice_sent_by_email(self):
        invoice = self._invoices(1)
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        wizard.action_send_and_print()
        self.assertTrue(invoice.is_move_sent)
        email = self._emails(self.customer)
        self.assertEqual(len(email), 1)
        self.assertEqual(email.res_model, "account.move")
        self.assertEqual(email.res_id, invoice.id)
        self.assertEqual(email.direction, "outbound")
        self.assertIn(invoice.name, email.name)

    def test_batch_of_invoices_logged_in_constant_queries(self):
        def send(invoices):
            """Send the invoices in one batch, as the batch wizard does; return
            the messages the commit would log (the rest of the commit done)."""
            self.env["account.move.send.batch.wizard"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create({}).action_send_and_print(force_synchronous=True)
            self.env.flush_all()
            queued = self.env.cr.precommit.data.pop(QUEUE_KEY)
            self.env.cr.flush()
            self.env.invalidate_all()
            return self.env["mail.message"].browse(sorted(queued))

        def log(messages):
            start = self.cr.sql_log_count
            logged = self.Interaction._lifecycle_log_emails(messages)
            self.env.flush_all()
            return logged, self.cr.sql_log_count - start

        log(send(self._invoices(2)))  # warm the caches
        few = self._invoices(2) | self._invoices(1, self.other_customer)
        logged_few, queries = log(send(few))
        self.assertEqual(len(logged_few), 3)
        self.assertLessEqual(queries, 20)
        many = self._invoices(20) | self._invoices(20, self.other_customer)
        messages = send(many)
        # 40 invoices sent: as many queries as for 3, one insert
        with self.assertQueryCount(queries):
            logged_many = self.Interaction._lifecycle_log_emails(messages)
        self.assertEqual(len(logged_many), 40)
        self.assertEqual(set(logged_many.mapped("res_id")), set(many.ids))
        self.assertEqual(logged_many.partner_id, self.customer | self.other_customer)
        self.assertEqual(set(logged_many.mapped("direction")), {"outbound"})

    def test_company_chooses_what_is_logged(self):
        order = self._order(confirm=False)
        template = self.env.ref("sale.mail_template_sale_confirmation")

        def confirmation_mail():
            # as sale does when an order is confirmed: an automatic e-mail
            order.with_user(self.salesman).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
            return self._emails(self.customer)

        self.company.lifecycle_email_logging = "none"
        self._post(order)
        self.assertFalse(self._emails())
        self.assertFalse(confirmation_mail())

        self.company.lifecycle_email_logging = "customer_facing"
        message = self._post(order)
        self.assertEqual(self._emails().message_id, message)
        self.assertEqual(len(confirmation_mail()), 1, "a notification is not")

        self.company.lifecycle_email_logging = "all"
        emails = confirmation_mail()
        self.assertEqual(len(emails), 2)
        self.assertEqual(
            (emails - self._emails(message_id=message.id)).message_id.message_type,
            "notification",
        )
        # notes stay out, whatever the setting
        self._post(order, subtype_xmlid="mail.mt_note")
        self.assertEqual(len(self._emails()), 2)

    def test_idempotent_per_message_and_customer(self):
        order, message = self._sent_order()
        email = self._emails()
        self.assertEqual(len(email), 1)
        self.assertFalse(self.Interaction._lifecycle_log_emails(message))
        self.assertEqual(self._emails(), email)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                email.copy({"message_id": message.id})
                self.env.flush_all()
        # the message deleted, its interaction stays, unlinked
        message.unlink()
        self.assertTrue(email.exists())
        self.assertFalse(email.message_id)

    # ------------------------------------------------------------------
    # incoming, through the mail gateway
    # ------------------------------------------------------------------

    def test_reply_through_gateway_utf8_and_latin1(self):
        order, message = self._sent_order()
        self._process(
            "Brandon Freeman <brandon@azure.example.com>",
            "Re: Your quotation — très bien",
            "Très bien, merci. La livraison est arrivée à 9h.",
            parent=message.message_id,
        )
        self._process(
            "Brandon Freeman <brandon@azure.example.com>",
            "Re: Your quotation, señor",
            "Año nuevo: ¿podemos añadir dos sillas más?",
            charset="iso-8859-1",
            parent=message.message_id,
        )
        inbound = self._emails(self.customer, direction="inbound")
        self.assertEqual(len(inbound), 2)
        for email in inbound:
            self.assertEqual(email.res_model, "sale.order")
            self.assertEqual(email.res_id, order.id)
            self.assertEqual(email.contact_id, self.contact)
            self.assertEqual(email.channel, "email")
            self.assertFalse(email.user_id, "the author is no employee")
            self.assertEqual(email.message_id.author_id, self.contact)
        self.assertEqual(
            set(inbound.mapped("name")),
            {"Re: Your quotation — très bien", "Re: Your quotation, señor"},
        )
        self.assertIn("La livraison est arrivée à 9h.", inbound[1].description)
        self.assertIn("¿podemos añadir dos sillas más?", inbound[0].description)

    def test_new_mail_to_an_alias(self):
        team = self.env["crm.team"].create(
            {"name": "Shop", "alias_name": "shop", "use_leads": True}
        )
        self.assertEqual(team.alias_id.alias_domain_id, self.alias_domain)
        self._process(
            "brandon@azure.example.com",
            "Ten more chairs",
            "Could you quote ten more chairs?",
            email_to="shop@nube.example.com",
        )
        lead = self.env["crm.lead"].search([("name", "=", "Ten more chairs")])
        self.assertEqual(len(lead), 1)
        email = self._emails(self.customer)
        self.assertEqual(len(email), 1)
        self.assertRecordValues(
            email,
            [
                {
                    "direction": "inbound",
                    "res_model": "crm.lead",
                    "res_id": lead.id,
                    "contact_id": self.contact.id,
                }
            ],
        )

    def test_unknown_sender_bounce_loop_and_auto_reply_log_nothing(self):
        order, message = self._sent_order()
        logged = self._emails()
        messages = order.message_ids
        # an unknown sender replying to the quotation: posted, attached to nobody
        self._process(
            "Stranger <stranger@nowhere.example.org>",
            "Re: Your quotation",
            "Who are you?",
            parent=message.message_id,
        )
        self.assertEqual(len(order.message_ids), len(messages) + 1)
        # an out-of-office reply of the customer: posted, not a contact
        self._process(
            "brandon@azure.example.com",
            "Automatic reply: Your quotation",
            "I am out of the office until Monday.",
            parent=message.message_id,
            extra="Auto-Submitted: auto-replied\n",
        )
        self.assertEqual(len(order.message_ids), len(messages) + 2)
        # a bounce of the quotation: no message, no interaction
        self.env["mail.thread"].sudo().message_process(
            False,
            BOUNCE_MAIL.format(
                email_to="bounce@nube.example.com",
                parent=message.message_id,
                stamp=time.time(),
            ),
        )
        self.assertEqual(len(order.message_ids), len(messages) + 2)
        self.assertEqual(self._emails(), logged)
        # a mail loop (an auto-replier writing again and again to an alias)
        self.env["ir.config_parameter"].sudo().set_param(
            "mail.gateway.loop.threshold", 2
        )
        self.env["crm.team"].create({"name": "Loop", "alias_name": "loop"})
        for _i in range(4):
            self._process(
                "brandon@azure.example.com",
                "Loop",
                "Again",
                email_to="loop@nube.example.com",
            )
        leads = self.env["crm.lead"].search([("name", "=", "Loop")])
        self.assertEqual(len(leads), 2, "the loop is stopped by core")
        emails = self._emails() - logged
        self.assertEqual(len(emails), 2, "only the mails that made a lead")
        self.assertEqual(set(emails.mapped("res_id")), set(leads.ids))

    def test_huge_hostile_body_gives_a_short_safe_summary(self):
        order, message = self._sent_order()
        paragraph = (
            "<p>Dear team, <b>chairs</b> again. " + "Lorem ipsum. " * 800 + "</p>"
        )
        body = (
            "<html><body><script>alert('pwned')</script>"
            '<img src="x" onerror="alert(1)">'
            + paragraph * (10 * 1024 * 1024 // len(paragraph))
            + "</body></html>"
        )
        self.assertGreater(len(body), 10_000_000)
        self._process(
            "brandon@azure.example.com",
            "Re: Your quotation",
            body,
            parent=message.message_id,
            content_type="text/html",
        )
        email = self._emails(self.customer, direction="inbound")
        self.assertEqual(len(email), 1)
        self.assertLess(len(email.description), 400)
        self.assertNotIn("<script", email.description)
        self.assertNotIn("alert", email.description)
        self.assertNotIn("onerror", email.description)
        self.assertIn("Dear team, *chairs* again.", email.description)

    def test_reply_about_another_company_customer_stays_there(self):
        other_company = self.env["res.company"].create(
            {"name": "Nube Iberia", "alias_domain_id": self.alias_domain.id}
        )
        self.salesman.company_ids = [Command.link(other_company.id)]
        iberian = self.env["res.partner"].create(
            {
                "name": "Muebles Sol",
                "is_company": True,
                "company_id": other_company.id,
                "email": "hola@sol.example.es",
            }
        )
        order = (
            self.env["sale.order"]
            .with_company(other_company)
            .create(
                {
                    "partner_id": iberian.id,
                    "company_id": other_company.id,
                    "user_id": self.salesman.id,
                }
            )
        )
        message = self._post(order.with_company(other_company), partner_ids=iberian.ids)
        # the mail gateway runs in the main company
        self.assertEqual(self.env.company, self.company)
        self.company.lifecycle_email_logging = "all"
        other_company.lifecycle_email_logging = "customer_facing"
        self._process(
            "hola@sol.example.es", "Re: pedido", "Gracias", parent=message.message_id
        )
        emails = self._emails(iberian)
        self.assertEqual(len(emails), 2)
        self.assertEqual(emails.company_id, other_company)
        self.assertFalse(self._emails(company_id=self.company.id))
        # that company logs nothing: its documents stay out, ours too
        other_company.lifecycle_email_logging = "none"
        self._process(
            "hola@sol.example.es", "Re: pedido", "Otra vez", parent=message.message_id
        )
        self.assertEqual(self._emails(), emails)
