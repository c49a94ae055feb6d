# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.fields import Domain

from ..batches import run_in_id_batches
from .crm_interaction_email import EMAIL_MESSAGE_TYPES

# the last message id the backfill has logged (it resumes after it)
CURSOR_PARAM = "crm_lifecycle.email_backfill_last_id"


class CrmInteraction(models.Model):
    """The e-mails a database already has, into the customers' timelines.

    At installation and upgrade a scheduled action (``ir_cron_email_backfill``)
    is started; it reads the messages in batches by id, logs each batch with
    the live logging (``_lifecycle_log_emails``, set-based, never twice for
    the same message and customer), commits and records how far it went, so an
    interrupted run resumes where it stopped. It deactivates itself when done.
    """

    _inherit = "crm.interaction"

    @api.model
    def _lifecycle_backfill_email_domain(self):
        """The messages that may be e-mails with customers (the same filter as
        the live queue: no internal notes)."""
        note_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        return Domain(
            [
                ("model", "!=", False),
                ("res_id", "!=", 0),
                ("message_type", "in", EMAIL_MESSAGE_TYPES),
                "|",
                ("message_type", "in", ("email", "sms")),
                ("subtype_id", "!=", note_id),
            ]
        )

    @api.model
    def _lifecycle_start_email_backfill(self):
        """Start (or restart, resuming) the backfill in the background."""
        cron = self.env.ref(
            "crm_lifecycle.ir_cron_email_backfill", raise_if_not_found=False
        )
        if cron:
            cron.sudo().active = True
            cron.sudo()._trigger()

    @api.model
    def _cron_backfill_emails(self, batch_size=5000):
        run_in_id_batches(
            self.env["mail.message"].sudo(),
            self._lifecycle_backfill_email_domain(),
            CURSOR_PARAM,
            self._lifecycle_log_emails,
            batch_size,
        )
