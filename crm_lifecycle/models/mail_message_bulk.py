# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.tools.misc import clean_context

from odoo.addons.mail.models.mail_message import _image_dataurl

from ..bulk_insert import create_rows

# the fields ``crm.interaction._lifecycle_queue_email_messages`` reads
QUEUE_FIELDS = ("model", "res_id", "message_type", "subtype_id", "partner_ids")


class MailMessage(models.Model):
    """Messages inserted in bulk for the nightly jobs (the chatter messages
    of thousands of automatic stage moves, the messages of the actions'
    e-mails): one INSERT per table, the rows ``create()`` would insert."""

    _inherit = "mail.message"

    @api.model
    def _lifecycle_create_in_bulk(self, vals_list):
        """Create messages with one INSERT (``create()`` inserts by hundreds
        and spends milliseconds per message in Python): the same defaults and
        the values ``create()`` computes (sender, Message-Id, reply-to), the
        body sanitized, many2many links, the constraints checked, the
        documents' cached messages invalidated, the messages offered to the
        customers' timeline.

        :return: the messages, or None if a value needs ``create()`` (a
            one2many such as tracking values, a record created by a command,
            an image embedded in the body): nothing is inserted then
        """
        if not vals_list:
            return self.browse()
        # logged by the system; no default of the caller's context: the
        # context replaced, as ``mail.thread._message_create`` does
        context = clean_context(self.env.context)
        self = self.sudo().with_context(context)  # noqa: PLW0642 # pylint: disable=context-overridden
        vals_list = [dict(vals) for vals in vals_list]
        if not all(self._lifecycle_message_values(vals) for vals in vals_list):
            return None
        self._lifecycle_reply_to(vals_list)
        messages = create_rows(self, vals_list)
        if messages is not None:
            messages._lifecycle_after_insert(vals_list)
        return messages

    @api.model
    def _lifecycle_message_values(self, vals):
        """Complete the values of a message as ``mail.message.create`` does:
        the sender, the Message-Id (the reply-to: ``_lifecycle_reply_to``).
        False if the body embeds an image (``create()`` turns it into an
        attachment)."""
        if vals.get("body") and _image_dataurl.search(vals["body"]):
            return False
        if "email_from" not in vals:
            vals["email_from"] = self.env["mail.thread"]._message_compute_author(
                vals.get("author_id"), email_from=None
            )[1]
        if not vals.get("message_id"):
            vals["message_id"] = self._get_message_id(vals)
        if not vals.get("attachment_ids", True):
            del vals["attachment_ids"]
        return True

    @api.model
    def _lifecycle_reply_to(self, message_vals_list):
        """The reply-to of the messages given none, as ``mail.message``'s
        ``_get_reply_to`` computes it record by record: one call of
        ``_notify_get_reply_to`` per model, sender and author."""
        groups = defaultdict(list)
        for vals in message_vals_list:
            if "reply_to" in vals:
                continue
            model = vals.get("model", self.env.context.get("default_model"))
            res_id = vals.get("res_id", self.env.context.get("default_res_id"))
            if not self._is_thread_message(
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

    def _lifecycle_after_insert(self, vals_list):
        """What ``mail.message.create`` does once these messages are inserted
        (the rows, their links and constraints done) with ``vals_list``: the
        documents' cached messages invalidated, the messages offered to the
        customers' timeline (``crm.interaction``)."""
        for model in {vals.get("model") for vals in vals_list} - {None, False}:
            if "message_needaction" in self.env[model]._fields:
                self.env[model].invalidate_model(
                    ["message_needaction", "message_needaction_counter"]
                )
        if not self.env.context.get("lifecycle_email_skip"):
            # what the queue reads of the messages that the values do not say
            # (their recipients, usually), in one query, not by 1000
            missing = {
                fname
                for fname in QUEUE_FIELDS
                for vals in vals_list
                if fname not in vals
            }
            if missing:
                self.fetch(missing)
            self.env["crm.interaction"]._lifecycle_queue_email_messages(self, vals_list)
