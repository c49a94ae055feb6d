# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models

from odoo.addons.mail.models.mail_message import _image_dataurl

from ..bulk_insert import (
    after_insert,
    column_values,
    insert_records,
    insert_relations,
    with_defaults,
)


class MailMail(models.Model):
    _inherit = "mail.mail"

    @api.model
    def _lifecycle_queue_in_bulk(self, vals_list):
        """Queue e-mails with one INSERT per table: their messages on the
        documents (the chatter), the e-mails, their recipients and
        attachments. For thousands at a time (the actions on entering of a
        nightly batch): ``create()`` spends milliseconds per e-mail in Python
        (an e-mail is two records through ``_inherits``, each message
        updating its document's cached messages) and inserts by hundreds.

        The rows are those ``create()`` inserts: the same defaults, the values
        ``mail.mail.create`` and ``mail.message.create`` compute (scheduled
        date, sender, Message-Id, reply-to), the body sanitized, the
        constraints checked, the messages offered to the customers' timeline
        (``crm.interaction``). The mail queue is triggered to send them.

        :param vals_list: values as for ``create()``: of the e-mail and of its
            message, many2many values as ids or link commands
        :return: the e-mails, or None if a value needs ``create()`` (a
            one2many, a record created by a command, an image embedded in the
            body): nothing is inserted then
        """
        if not vals_list:
            return self.browse()
        self = self.sudo()  # noqa: PLW0642 - queued by the system, as send_mail
        Message = self.env["mail.message"]
        cache = {}  # defaults and checks, per model and set of fields given
        mail_vals_list, message_vals_list = [], []
        for vals in vals_list:
            vals = with_defaults(self, self._lifecycle_mail_values(vals), cache)
            message_vals = {
                name: value
                for name, value in vals.items()
                if self._fields[name].inherited
            }
            if not self._lifecycle_message_values(message_vals):
                return None
            mail_vals_list.append(vals)
            message_vals_list.append(message_vals)
        self._lifecycle_reply_to(message_vals_list)
        rows = {self._name: [], Message._name: []}
        links = defaultdict(list)  # (model, field): [(row index, target ids)]
        for index, (vals, message_vals) in enumerate(
            zip(mail_vals_list, message_vals_list, strict=True)
        ):
            message_vals = with_defaults(Message, message_vals, cache)
            message_vals_list[index] = message_vals
            for model, values in ((self, vals), (Message, message_vals)):
                row = column_values(model, values, index, links, cache)
                if row is None:
                    return None
                rows[model._name].append(row)
        Message.flush_model()
        self.flush_model()
        messages = Message.browse(insert_records(Message, rows[Message._name]))
        for row, message_id in zip(rows[self._name], messages.ids, strict=True):
            row["mail_message_id"] = message_id
        mails = self.browse(insert_records(self, rows[self._name]))
        insert_relations(
            self, links, {self._name: mails.ids, Message._name: messages.ids}
        )
        self._lifecycle_after_insert(messages, message_vals_list, mails)
        return mails

    @api.model
    def _lifecycle_mail_values(self, vals):
        """The values given, as ``mail.mail.create`` changes them."""
        vals = dict(vals)
        if "is_notification" not in vals and vals.get("mail_message_id"):
            vals["is_notification"] = True
        if vals.get("scheduled_date"):
            parsed = self._parse_scheduled_datetime(vals["scheduled_date"])
            vals["scheduled_date"] = parsed.replace(tzinfo=None) if parsed else False
        else:
            vals["scheduled_date"] = False
        return vals

    @api.model
    def _lifecycle_message_values(self, vals):
        """Complete the values of a message as ``mail.message.create`` does:
        the sender, the Message-Id (the reply-to: ``_lifecycle_reply_to``).
        False if the body embeds an image (``create()`` turns it into an
        attachment)."""
        Message = self.env["mail.message"]
        if vals.get("body") and _image_dataurl.search(vals["body"]):
            return False
        if "email_from" not in vals:
            vals["email_from"] = self.env["mail.thread"]._message_compute_author(
                vals.get("author_id"), email_from=None
            )[1]
        if not vals.get("message_id"):
            vals["message_id"] = Message._get_message_id(vals)
        if not vals.get("attachment_ids", True):
            del vals["attachment_ids"]
        return True

    @api.model
    def _lifecycle_reply_to(self, message_vals_list):
        """The reply-to of the messages given none, as ``mail.message``'s
        ``_get_reply_to`` computes it record by record: one call of
        ``_notify_get_reply_to`` per model, sender and author."""
        Message = self.env["mail.message"]
        groups = defaultdict(list)
        for vals in message_vals_list:
            if "reply_to" in vals:
                continue
            model = vals.get("model", self.env.context.get("default_model"))
            res_id = vals.get("res_id", self.env.context.get("default_res_id"))
            if not Message._is_thread_message(
                vals={"model": model, "res_id": res_id or False}
            ):
                res_id = False
            key = (model, vals.get("email_from"), vals.get("author_id"), bool(res_id))
            groups[key].append((vals, res_id))
        for (model, email_from, author_id, _thread), group in groups.items():
            records = self.env[model] if model else self.env["mail.thread"]
            reply_to = (
                records.browse({res_id for _vals, res_id in group if res_id})
                .sudo()
                ._notify_get_reply_to(default=email_from, author_id=author_id)
            )
            for vals, res_id in group:
                vals["reply_to"] = reply_to[res_id]

    def _lifecycle_after_insert(self, messages, message_vals_list, mails):
        """What ``create()`` does after inserting: the constraints checked,
        the documents' cached messages invalidated, the messages offered to
        the timeline; and the mail queue triggered."""
        after_insert(messages, {name for vals in message_vals_list for name in vals})
        after_insert(mails, self._fields)
        for model in {vals.get("model") for vals in message_vals_list} - {None, False}:
            if "message_needaction" in self.env[model]._fields:
                self.env[model].invalidate_model(
                    ["message_needaction", "message_needaction_counter"]
                )
        self.env["crm.interaction"]._lifecycle_queue_email_messages(
            messages, message_vals_list
        )
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
