# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.fields import Domain

from odoo.addons.crm_lifecycle.batches import run_in_id_batches

# the last trace id the backfill has logged (it resumes after it)
CURSOR_PARAM = "crm_lifecycle_mass_mailing.trace_backfill_last_id"


class MailingTrace(models.Model):
    """The mailings a database sent before this addon, into the customers'
    timelines: a scheduled action started at installation reads the traces in
    batches by id, logs them as the live logging does (never twice), commits
    and records how far it went, and stops by itself when done."""

    _inherit = "mailing.trace"

    @api.model
    def _lifecycle_start_campaign_backfill(self):
        cron = self.env.ref(
            "crm_lifecycle_mass_mailing.ir_cron_campaign_backfill",
            raise_if_not_found=False,
        )
        if cron:
            cron.sudo().active = True
            cron.sudo()._trigger()

    @api.model
    def _cron_backfill_campaign_events(self, batch_size=5000):
        run_in_id_batches(
            self.sudo(),
            Domain([("is_test_trace", "=", False), ("mass_mailing_id", "!=", False)]),
            CURSOR_PARAM,
            lambda traces: traces._lifecycle_log_campaign_events(),
            batch_size,
        )
