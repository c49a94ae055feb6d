# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models

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
            if not Message._lifecycle_message_values(message_vals):
                return None
            mail_vals_list.append(vals)
            message_vals_list.append(message_vals)
        Message._lifecycle_reply_to(message_vals_list)
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

    def _lifecycle_after_insert(self, messages, message_vals_list, mails):
        """What ``create()`` does after inserting: the constraints checked,
        the documents' cached messages invalidated, the messages offered to
        the timeline; and the mail queue triggered."""
        after_insert(messages, {name for vals in message_vals_list for name in vals})
        messages._lifecycle_after_insert(message_vals_list)
        after_insert(mails, self._fields)
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
