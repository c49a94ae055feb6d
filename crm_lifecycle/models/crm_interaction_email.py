# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL, html2plaintext

# Key of the messages waiting to be logged, in the transaction's precommit data
QUEUE_KEY = "crm_lifecycle.email_message_ids"
# Message types that may be an e-mail with a customer. Not: user_notification
# (to a user), out_of_office (an automatic reply), email_outgoing (a mass
# mailing: a campaign, not a conversation).
EMAIL_MESSAGE_TYPES = ("email", "comment", "auto_comment", "notification", "sms")
# Sent to the customer's phone, whatever the subtype (core posts SMS as notes)
SMS_MESSAGE_TYPE = "sms"
# The conversation: written (chatter, composer with a template, gateway) or an
# automatic message addressed to the customer (an acknowledgement)
CONVERSATION_TYPES = ("email", "comment", "auto_comment")
# What a customer writes: an e-mail (gateway) or a comment (portal chatter)
INBOUND_CHANNELS = {"email": "email", "comment": "portal"}
# Never written by a customer: they reach customers only as recipients
# (partner_ids) or by the e-mails and text messages of their notifications
RECIPIENT_ONLY_TYPES = ("notification", "auto_comment")
# The summary is read from the start of the body only: a 10 MB body costs no
# more than a short one.
SUMMARY_SOURCE_CHARS = 50_000
SUMMARY_CHARS = 300
NAME_CHARS = 200


def _summary(html):
    """A short plain-text summary of an e-mail body, as safe HTML."""
    text = html2plaintext(html or "", include_references=False)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > SUMMARY_CHARS:
        text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
    return Markup("<p>%s</p>") % text if text else False


def _cut(text, size):
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


class CrmInteraction(models.Model):
    """E-mails exchanged with customers, in their timeline by themselves.

    Every message posted on any document (chatter, template, composer, mail
    gateway, portal) that may be an e-mail is queued when it is created, and
    the queue is logged once, just before the transaction commits: sending 500
    invoices posts 500 messages and logs them with one insert. The company of
    the document (``record_company_id`` of the message, as core computes it)
    chooses what is logged (``res.company.lifecycle_email_logging``).
    """

    _inherit = "crm.interaction"

    @api.model
    def _lifecycle_queue_email_messages(self, messages, vals_list=None):
        """Queue the messages that may be e-mails with customers (a cheap
        filter in memory: internal notes and messages about no document are
        dropped here; the rest is decided at commit, set-based).

        :param vals_list: the values the messages were created with, in the
            same order: what they hold is not read again from the database
            (on every order confirmed, delivery validated, invoice posted)
        """
        ids = []
        for message, vals in zip(
            messages, vals_list or [{}] * len(messages), strict=True
        ):
            if vals.get("lifecycle_email_queued"):
                continue  # queued in its own row (see mail.message.create)

            def value(fname, message=message, vals=vals):
                if fname in vals:
                    return vals[fname]
                value = message[fname]
                return value.id if fname == "subtype_id" else value

            if self._lifecycle_email_candidate(value):
                ids.append(message.id)
        self._lifecycle_queue_email_message_ids(ids)

    @api.model
    def _lifecycle_email_candidate(self, value):
        """Whether a message may be an e-mail with a customer, from its values
        (``value(fname)``; a ``KeyError`` when one is not known).

        Internal notes and messages about no document are not; a notification
        to nobody (the tracking of an order confirmed, an invoice posted...)
        is not either: it is queued only if a customer gets it by e-mail
        (``mail.notification.create``)."""
        message_type = value("message_type")
        if not (
            value("model") and value("res_id") and message_type in EMAIL_MESSAGE_TYPES
        ):
            return False
        # a new mail to an alias has the subtype of the record's creation,
        # a note by default: incoming mails are decided at commit; an SMS
        # is posted as a note but reached the customer's phone
        note_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        if message_type not in ("email", SMS_MESSAGE_TYPE) and (
            value("subtype_id") == note_id
        ):
            return False
        return not (message_type in RECIPIENT_ONLY_TYPES and not value("partner_ids"))

    @api.model
    def _lifecycle_flag_email_values(self, vals_list):
        """The values of messages about to be created, those that may be
        e-mails with customers flagged ``lifecycle_email_queued``: the
        background job logs them (a company updating its customers in the
        background), and the request spends no query on it. A message whose
        values do not tell is decided once created (``None`` returned when
        nothing is flagged)."""

        flagged = False
        result = []
        for vals in vals_list:

            def value(fname, vals=vals):
                if fname == "partner_ids":
                    return vals.get(fname)  # no default: nobody
                return vals[fname]

            try:
                candidate = self._lifecycle_email_candidate(value)
            except KeyError:
                candidate = False
            if candidate:
                vals = dict(vals, lifecycle_email_queued=True)
                flagged = True
            result.append(vals)
        return result if flagged else None

    @api.model
    def _lifecycle_queue_email_message_ids(self, ids):
        """Queue these messages, logged when the transaction commits."""
        if not ids:
            return
        precommit = self.env.cr.precommit
        if QUEUE_KEY not in precommit.data:
            precommit.data[QUEUE_KEY] = set()
            precommit.add(self.sudo()._lifecycle_log_queued_emails)
        precommit.data[QUEUE_KEY].update(ids)

    def _lifecycle_log_queued_emails(self):
        message_ids = self.env.cr.precommit.data.pop(QUEUE_KEY, None)
        if not message_ids:
            return
        if self.env["res.partner"]._lifecycle_in_background():
            # the background job logs them (and applies their events)
            self.env["crm.lifecycle.pending"]._queue_emails(message_ids)
        else:
            self._lifecycle_log_emails(
                self.env["mail.message"].browse(sorted(message_ids))
            )

    @api.model
    def _lifecycle_log_emails(self, messages):
        """Log these messages as e-mail interactions, set-based and idempotent:
        one interaction per message and customer.

        - Inbound: an e-mail (mail gateway) or a portal comment whose author is
          a customer's contact: one interaction for the author's customer.
        - Outbound: a message of an employee (or of the system) that reached
          customers by e-mail: one interaction for each customer among its
          recipients and the followers it notified by e-mail.
        - Never: internal notes, messages from an unknown sender, messages
          between employees, another company's customers; bounces and
          automatic replies are never posted as messages to log (see
          ``mail.thread._message_route_process``).

        :return: the interactions created
        """
        if not messages:
            return self.browse()
        self.env.flush_all()
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT m.id, m.model, m.res_id, m.message_type, m.author_id,
                       m.record_company_id, m.subject, m.date,
                       COALESCE(m.is_internal, FALSE) OR COALESCE(st.internal, FALSE)
                           AS internal,
                       m.subtype_id = %(discussion)s AS discussion,
                       LEFT(m.body, %(body_chars)s) AS body,
                       ARRAY(
                           SELECT rel.res_partner_id
                             FROM mail_message_res_partner_rel rel
                            WHERE rel.mail_message_id = m.id
                            UNION
                           SELECT notif.res_partner_id
                             FROM mail_notification notif
                            WHERE notif.mail_message_id = m.id
                              AND notif.notification_type IN ('email', 'sms')
                       ) AS recipients,
                       ARRAY(
                           SELECT i.partner_id FROM crm_interaction i
                            WHERE i.message_id = m.id
                       ) AS logged,
                       (SELECT MAX(u.id) FROM res_users u
                         WHERE u.partner_id = m.author_id
                           AND u.share IS NOT TRUE) AS author_user_id,
                       %(document_exists)s AS document_exists
                  FROM mail_message m
             LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.model IS NOT NULL AND m.res_id IS NOT NULL
                   AND m.message_type IN %(types)s
                """,
                discussion=self.env["ir.model.data"]._xmlid_to_res_id(
                    "mail.mt_comment"
                ),
                body_chars=SUMMARY_SOURCE_CHARS,
                ids=messages.ids,
                types=EMAIL_MESSAGE_TYPES,
                document_exists=self._lifecycle_document_exists_sql(messages),
            )
        )
        rows = [row for row in rows if row["model"] in self.env]
        if not rows:
            return self.browse()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partners = Partner.browse(
            {
                partner_id
                for row in rows
                for partner_id in [row["author_id"], *row["recipients"]]
                if partner_id
            }
        )
        partners.fetch(["commercial_partner_id", "company_id", "active"])
        internal_ids = self._lifecycle_internal_partner_ids()
        companies = (
            self.env["res.company"]
            .sudo()
            .browse(
                {row["record_company_id"] for row in rows if row["record_company_id"]}
            )
        )
        companies.fetch(["lifecycle_email_logging"])
        # who each message was exchanged with, and whether the company of its
        # document logs it; users and documents are read for those only
        to_log = []
        for row in rows:
            for contact, direction in self._lifecycle_email_parties(
                row, Partner, internal_ids
            ):
                customer = contact.commercial_partner_id
                company = (
                    companies.browse(row["record_company_id"])
                    or customer.company_id
                    or self.env.company
                )
                if (
                    customer.id in row["logged"]
                    or (customer.company_id and customer.company_id != company)
                    or not self._lifecycle_email_logged(row, direction, company)
                ):
                    continue
                row["logged"].append(customer.id)
                to_log.append((row, contact, customer, company, direction))
        if not to_log:
            return self.browse()
        # the messages' documents that still exist (read with the messages),
        # browsed together per model (one prefetch for their names)
        ids_by_model = {}
        for row, *_ in to_log:
            if row["document_exists"]:
                ids_by_model.setdefault(row["model"], []).append(row["res_id"])
        documents = {
            (model, document.id): document
            for model, ids in ids_by_model.items()
            for document in self.env[model].sudo().browse(ids)
        }
        labels = dict(self._fields["interaction_type"]._description_selection(self.env))
        vals_list = []
        for row, contact, customer, company, direction in to_log:
            document = documents.get((row["model"], row["res_id"]))
            if not document:
                continue
            is_sms = row["message_type"] == SMS_MESSAGE_TYPE
            # the employee who wrote it (archived users included)
            user_id = row["author_user_id"] if direction == "outbound" else False
            subject = _cut(row["subject"], NAME_CHARS)
            if not subject or subject == document.display_name:
                # a chatter message: core's subject is the document's name
                label = labels["sms" if is_sms else "email"]
                subject = f"{label}: {_cut(document.display_name, NAME_CHARS)}"
            vals_list.append(
                {
                    "name": subject,
                    "description": _summary(row["body"]),
                    "partner_id": customer.id,
                    "contact_id": contact.id if contact != customer else False,
                    "company_id": company.id,
                    "date": row["date"],
                    "interaction_type": "sms" if is_sms else "email",
                    "direction": direction,
                    "channel": "sms"
                    if is_sms
                    else INBOUND_CHANNELS.get(row["message_type"], "email")
                    if direction == "inbound"
                    else "email",
                    "user_id": user_id or False,
                    "res_model": row["model"],
                    "res_id": row["res_id"],
                    "source_name": document.display_name,
                    "message_id": row["id"],
                    "is_automatic": True,
                }
            )
        interactions = self.sudo().create(vals_list)
        if interactions:
            interactions.partner_id._lifecycle_trigger_event(
                "interaction_logged", records=interactions
            )
        return interactions

    @api.model
    def _lifecycle_document_exists_sql(self, messages):
        """SQL of the messages' query (alias ``m``): whether the message's
        document still exists, for the models of ``messages`` (in cache for
        the messages of the transaction), rather than a query per model after
        it: one query less on every e-mail from the chatter."""
        messages.fetch(["model"])  # no query for the messages in cache
        deleted = set(messages._fields["model"]._cache_missing_ids(messages))
        models = {message.model for message in messages if message.id not in deleted}
        cases = [
            SQL(
                "WHEN %s THEN EXISTS(SELECT 1 FROM %s d WHERE d.id = m.res_id)",
                model,
                SQL.identifier(self.env[model]._table),
            )
            for model in sorted(model for model in models if model)
            if model in self.env
            and not self.env[model]._abstract
            and not self.env[model]._table_query
        ]
        if not cases:
            return SQL("FALSE")
        return SQL("CASE m.model %s ELSE FALSE END", SQL(" ").join(cases))

    @api.model
    def _lifecycle_email_parties(self, row, partners, internal_ids):
        """The customers' contacts a message was exchanged with, and the
        direction: [(contact, "inbound" | "outbound")], one per customer."""
        author = partners.browse(row["author_id"]) if row["author_id"] else None
        if author and author.id not in internal_ids:
            # written by a customer's contact: the gateway or the portal
            if row["message_type"] not in INBOUND_CHANNELS:
                return []  # posted on their behalf by the system
            customer = author.commercial_partner_id
            if customer.id in internal_ids or not customer.active:
                return []
            return [(author, "inbound")]
        if not author and row["message_type"] == "email":
            return []  # an incoming mail from an unknown sender
        # from an employee or the system: the customers it reached
        parties = {}
        for contact in partners.browse(sorted(row["recipients"])):
            customer = contact.commercial_partner_id
            if (
                contact.id in internal_ids
                or customer.id in internal_ids
                or not customer.active
            ):
                continue
            parties.setdefault(customer, contact)
        return [(contact, "outbound") for contact in parties.values()]

    @api.model
    def _lifecycle_email_logged(self, row, direction, company):
        """Whether the company logs this message (see its
        ``lifecycle_email_logging``)."""
        level = company.lifecycle_email_logging
        if level == "none":
            return False
        if row["message_type"] == SMS_MESSAGE_TYPE:
            # a text message sent to the customer's phone faces the customer
            return direction == "outbound"
        if direction == "inbound":
            # what the customer wrote is the conversation, whatever the subtype
            # of the document it created (a new mail to an alias)
            return row["message_type"] == "email" or not row["internal"]
        if row["internal"]:
            return False
        if level == "customer_facing":
            return row["message_type"] in CONVERSATION_TYPES and row["discussion"]
        return True  # all: also the notifications e-mailed to the customer
