# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class CrmLifecyclePending(models.Model):
    """Lifecycle events of customers that another transaction was changing
    when they happened.

    An event (an order confirmed, a complaint filed...) refreshes the facts of
    its customer and may move its stage: both write the customer's row. When
    another transaction holds that row, or changed it since the current one
    started, writing it would fail the user's request with a serialisation
    error (and Odoo would retry the whole request, and give up after five
    tries). Instead the event is queued here, in rows nobody else writes, and
    a job applies it moments later (``_cron_process``): nothing is lost and
    the user's request never fails because of the customer's lifecycle."""

    _name = "crm.lifecycle.pending"
    _description = "Deferred Customer Lifecycle Event"
    _order = "id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    event_id = fields.Many2one("crm.lifecycle.event", required=True, ondelete="cascade")
    # the company the event happened in: its facts, rules and stage
    company_id = fields.Many2one("res.company", ondelete="cascade")
    source_model = fields.Char()
    source_ids = fields.Json()

    @api.model
    def _defer(self, partners, event_id, sources=None):
        """Queue an event of these customers, and wake the job up."""
        sources = sources or self.env["base"]
        self.sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "event_id": event_id,
                    "company_id": self.env.company.id,
                    "source_model": sources._name if sources else False,
                    "source_ids": sources.ids if sources else False,
                }
                for partner in partners
            ]
        )
        _logger.info(
            "Lifecycle: %s busy customers, event %s deferred", len(partners), event_id
        )
        cron = self.env.ref(
            "crm_lifecycle.ir_cron_lifecycle_pending", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_process(self, batch_size=500):
        """Apply the deferred events, oldest first, in batches; customers still
        busy wait for the next run. Several cron workers can share the job."""
        cron = self.env["ir.cron"]
        last_id = 0
        while True:
            pending = self.search([("id", ">", last_id)], limit=batch_size)
            if not pending:
                break
            last_id = pending[-1].id
            pending = pending.try_lock_for_update()
            free = pending.partner_id.try_lock_for_update(allow_referencing=True)
            if free:
                free -= free._lifecycle_busy_customers()
            ready = pending.filtered_domain([("partner_id", "in", free.ids)])
            groups = defaultdict(lambda: self.browse())
            for item in ready:
                company = item.company_id or self.env.company
                groups[item.event_id, item.source_model, company] |= item
            for (event, source_model, company), items in groups.items():
                sources = None
                if source_model in self.env:
                    ids = {i for item in items for i in item.source_ids or []}
                    sources = self.env[source_model].browse(ids).exists()
                items.partner_id.with_company(company).with_context(
                    lifecycle_no_defer=True
                )._lifecycle_trigger_event(event.code, records=sources)
            ready.unlink()
            remaining = self.search_count([("id", ">", last_id)])
            if cron._commit_progress(len(ready), remaining=remaining) <= 0:
                break
