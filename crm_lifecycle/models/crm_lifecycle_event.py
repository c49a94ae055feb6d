# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


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
    fact_groups = fields.Char(
        help="The groups of behaviour facts the event can change, separated by "
        "commas (for example: sales, interactions): only these are read again "
        "when it happens. Empty: all of them.",
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
            "fact_groups": event._get_fact_groups(),
        }

    def _get_fact_groups(self):
        """The names of the fact groups the event changes, None for all."""
        self.ensure_one()
        names = [name.strip() for name in (self.fact_groups or "").split(",")]
        return tuple(name for name in names if name) or None

    @api.model
    def _fill_fact_groups(self, groups_by_xmlid):
        """Give shipped events their fact groups on upgrade (events are
        ``noupdate`` data); an event already given groups keeps them.

        :param groups_by_xmlid: {event xmlid: "group, group"}
        """
        for xmlid, groups in groups_by_xmlid.items():
            event = self.env.ref(xmlid, raise_if_not_found=False)
            if event and not event.fact_groups:
                event.fact_groups = groups

    @api.constrains("fact_groups")
    def _check_fact_groups(self):
        known = self.env["res.partner"]._lifecycle_fact_groups()
        for event in self:
            unknown = [
                name for name in event._get_fact_groups() or () if name not in known
            ]
            if unknown:
                raise ValidationError(
                    self.env._(
                        "The event “%(event)s” names unknown fact groups: "
                        "%(unknown)s. Known groups: %(known)s.",
                        event=event.name,
                        unknown=", ".join(unknown),
                        known=", ".join(sorted(known)),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env.registry.clear_cache()
        return events

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res
