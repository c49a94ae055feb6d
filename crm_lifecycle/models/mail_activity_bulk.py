# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models

from ..bulk_insert import create_rows, with_defaults


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _lifecycle_create_in_bulk(self, vals_list):
        """Create activities with one INSERT, for thousands at a time (the
        actions on entering of a nightly batch): ``create()`` spends a
        millisecond per activity in Python (defaults, the document's cached
        activities updated per record) and inserts by hundreds.

        The rows are those ``create()`` inserts: the same defaults, the stored
        computed fields as their computes set them (document model and name,
        user's timezone), the constraints checked; then what
        ``mail.activity.create`` does: the users subscribed to the documents
        (one batch per model and user), the users' to-do counters notified.
        Quick updates only (``mail_activity_quick_update``: no e-mail per
        activity to its user).

        :return: the activities, or None if they need ``create()`` (not a
            quick update, an archived activity, a value only ``create()``
            handles): nothing is inserted then
        """
        if not vals_list or not self.env.context.get("mail_activity_quick_update"):
            return None if vals_list else self.browse()
        self = self.sudo()  # noqa: PLW0642 - scheduled by the system
        cache = {}
        vals_list = [with_defaults(self, dict(vals), cache) for vals in vals_list]
        if not all(vals.get("active", True) for vals in vals_list):
            return None
        self._lifecycle_computed_values(vals_list)
        activities = create_rows(self, vals_list)
        if activities is None:
            return None
        self._lifecycle_after_create(activities, vals_list)
        return activities

    @api.model
    def _lifecycle_computed_values(self, vals_list):
        """Set the stored computed fields of ``mail.activity`` in the values,
        as their computes would (``res_model``, ``res_name``, ``user_tz``,
        ``date_done``), reading each model's documents and the users once."""
        models_by_id = {
            model.id: model.model
            for model in self.env["ir.model"].browse(
                {vals["res_model_id"] for vals in vals_list if vals.get("res_model_id")}
            )
        }
        res_ids = defaultdict(set)
        for vals in vals_list:
            vals["res_model"] = models_by_id.get(vals.get("res_model_id")) or False
            if vals["res_model"] and vals.get("res_id"):
                res_ids[vals["res_model"]].add(vals["res_id"])
        names = {}
        for model, ids in res_ids.items():
            records = self.env[model].sudo().browse(ids)
            # what their names read, in one query (by 1000 record by record)
            records.fetch()
            names.update(
                ((model, record.id), record.display_name) for record in records
            )
        users = (
            self.env["res.users"]
            .sudo()
            .browse({vals["user_id"] for vals in vals_list if vals.get("user_id")})
        )
        tz = {user.id: user.tz for user in users}
        for vals in vals_list:
            vals["res_name"] = names.get((vals["res_model"], vals.get("res_id")), False)
            vals["user_tz"] = tz.get(vals.get("user_id")) or False
            vals["date_done"] = False  # active activities only

    def _lifecycle_after_create(self, activities, vals_list):
        """What ``mail.activity.create`` does once the activities exist (quick
        update: no notification to their users): the users subscribed to the
        documents, batched per model and user; the users with activities due
        today told their to-do count changed."""
        per_model_user = defaultdict(set)
        for vals in vals_list:
            if vals["res_model"] and vals.get("res_id") and vals.get("user_id"):
                per_model_user[vals["res_model"], vals["user_id"]].add(vals["res_id"])
        users = self.env["res.users"].sudo().browse({u for _m, u in per_model_user})
        self._lifecycle_subscribe_users(per_model_user, users)
        today = fields.Date.today()
        due = defaultdict(int)
        for vals in vals_list:
            if (
                vals.get("user_id")
                and fields.Date.to_date(vals["date_deadline"]) <= today
            ):
                due[vals["user_id"]] += 1
        for user_id, count in due.items():
            users.browse(user_id)._bus_send(
                "mail.activity/updated", {"activity_created": True, "count_diff": count}
            )

    @api.model
    def _lifecycle_subscribe_users(self, per_model_user, users):
        """Subscribe the users to the documents of their activities, as
        ``message_subscribe`` does (default subtypes, existing followers
        kept), with one INSERT for all the new followers: Odoo inserts them by
        hundreds. ``per_model_user``: {(model, user id): document ids}."""
        Followers = self.env["mail.followers"].sudo()
        shared = set(users.partner_id.filtered("partner_share").ids)
        vals_list = []
        for (model, user_id), res_ids in per_model_user.items():
            partner_ids = users.browse(user_id).partner_id.ids
            new, _existing = Followers._add_default_followers(
                model,
                list(res_ids),
                partner_ids,
                customer_ids=[pid for pid in partner_ids if pid in shared],
            )
            vals_list += [
                dict(values, res_id=res_id)
                for res_id, values_list in new.items()
                for values in values_list
            ]
        followers = create_rows(Followers, vals_list)
        if followers is None:
            Followers.create(vals_list)
        else:
            followers._invalidate_documents(vals_list)
