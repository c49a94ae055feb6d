# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class CrmLifecycleEvent(models.Model):
    """Something a customer did (or that happened to it) that rules may react to.

    Events are data: each addon declares the ones it emits (see readme/DEVELOP.md).
    """

    _name = "crm.lifecycle.event"
    _description = "Customer Lifecycle Event"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    assigns_default_stage = fields.Boolean(
        default=True,
        help="A customer without a stage that no rule places gets the default "
        "stage when this event happens.",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.UniqueIndex(
        "(code)", "The code of a lifecycle event must be unique."
    )

    @api.model
    def _get_by_code(self, code):
        """Return the event with this code; an unknown code is a programming error."""
        return self.browse(self._get_event_data(code)["id"])

    @api.model
    @tools.ormcache("code")
    def _get_event_data(self, code):
        """{id, active, assigns_default_stage} of an event, cached: events are
        read on every customer event."""
        event = (
            self.sudo()
            .with_context(active_test=False)
            .search([("code", "=", code)], limit=1)
        )
        if not event:
            raise ValueError(f"Unknown customer lifecycle event {code!r}")
        return {
            "id": event.id,
            "active": event.active,
            "assigns_default_stage": event.assigns_default_stage,
        }

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env.registry.clear_cache()
        return events

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res
