# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL, email_normalize

QUEUE_KEY = "crm_lifecycle_mass_mailing.traces"
# the trace fields whose change may be a new event
EVENT_FIELDS = {
    "trace_status",
    "sent_datetime",
    "open_datetime",
    "reply_datetime",
    "links_click_datetime",
}
# event: (trace field holding its date, direction)
EVENTS = {
    "sent": ("sent_datetime", "outbound"),
    "opened": ("open_datetime", "inbound"),
    "clicked": ("links_click_datetime", "inbound"),
    "replied": ("reply_datetime", "inbound"),
    "bounced": ("write_date", "outbound"),
}


class MailingTrace(models.Model):
    """Each recipient's sent, opened, clicked, replied and bounced events become
    campaign responses in its customer's timeline: one interaction per trace
    and event, logged at commit, set-based and idempotent."""

    _inherit = "mailing.trace"

    @api.model_create_multi
    def create(self, vals_list):
        traces = super().create(vals_list)
        traces._lifecycle_queue_campaign_events()
        return traces

    def write(self, vals):
        result = super().write(vals)
        if EVENT_FIELDS.intersection(vals):
            self._lifecycle_queue_campaign_events()
        return result

    def _lifecycle_queue_campaign_events(self):
        traces = self.filtered(lambda t: not t.is_test_trace)
        if not traces:
            return
        precommit = self.env.cr.precommit
        if QUEUE_KEY not in precommit.data:
            precommit.data[QUEUE_KEY] = set()
            precommit.add(self.sudo()._lifecycle_log_queued_campaign_events)
        precommit.data[QUEUE_KEY].update(traces.ids)

    def _lifecycle_log_queued_campaign_events(self):
        trace_ids = self.env.cr.precommit.data.pop(QUEUE_KEY, None)
        if trace_ids:
            self.browse(sorted(trace_ids)).exists()._lifecycle_log_campaign_events()

    @api.model
    def _lifecycle_campaign_events(self, trace):
        """The events of a trace so far: [(event, date)]. Extend with
        ``super()`` for an event of your own (add it to the selection of
        ``crm.interaction.campaign_event``)."""
        events = []
        for event, (fname, _direction) in EVENTS.items():
            if event == "bounced":
                if trace.trace_status == "bounce":
                    events.append((event, trace.write_date))
            elif trace[fname]:
                events.append((event, trace[fname]))
        return events

    def _lifecycle_log_campaign_events(self):
        """Log the events of these traces not logged yet, for the customer of
        each recipient. A recipient that is no customer (an employee, an
        address no customer has, an address shared by two customers) logs
        nothing."""
        Interaction = self.env["crm.interaction"].sudo()
        contacts = self._lifecycle_campaign_contacts()
        if not contacts:
            return Interaction
        done = set(
            self.env.execute_query(
                SQL(
                    "SELECT mailing_trace_id, campaign_event FROM crm_interaction "
                    "WHERE mailing_trace_id = ANY(%s)",
                    list(contacts),
                )
            )
        )
        labels = dict(
            Interaction._fields["campaign_event"]._description_selection(self.env)
        )
        vals_list = []
        for trace in self.browse(list(contacts)):
            contact = contacts[trace.id]
            customer = contact.commercial_partner_id
            mailing = trace.mass_mailing_id
            subject = mailing.subject or mailing.display_name
            for event, date in self._lifecycle_campaign_events(trace):
                if (trace.id, event) in done:
                    continue
                vals_list.append(
                    {
                        "name": f"{labels[event]}: {subject}",
                        "partner_id": customer.id,
                        "contact_id": contact.id if contact != customer else False,
                        "date": date,
                        "interaction_type": "campaign_response",
                        "direction": EVENTS[event][1],
                        "channel": "email",
                        "user_id": mailing.user_id.id,
                        "res_model": "mailing.mailing",
                        "res_id": mailing.id,
                        "source_name": mailing.display_name,
                        "is_automatic": True,
                        "campaign_event": event,
                        "mailing_trace_id": trace.id,
                        "mailing_id": mailing.id,
                    }
                )
        interactions = Interaction._lifecycle_insert_campaign_rows(vals_list)
        if interactions:
            interactions.partner_id._lifecycle_trigger_event(
                "campaign_response", records=interactions
            )
        return interactions

    def _lifecycle_campaign_contacts(self):
        """{trace id: the customer's contact (res.partner) it reached}, set
        based: one read per model of recipients, one search for the e-mail
        addresses of recipients that are no partner (mailing contacts)."""
        internal = self.env["crm.interaction"]._lifecycle_internal_partner_ids()
        result = {}
        by_email = defaultdict(list)
        by_model = defaultdict(list)
        for trace in self:
            if trace.mass_mailing_id and trace.res_id:
                by_model[trace.model].append(trace)
        for model, traces in by_model.items():
            if model not in self.env:
                continue
            Model = self.env[model].sudo()
            records = Model.browse([trace.res_id for trace in traces]).exists()
            by_id = {record.id: record for record in records}  # one prefetch
            partner_field = Model._fields.get("partner_id")
            for trace in traces:
                record = by_id.get(trace.res_id)
                if not record:
                    continue
                if model == "res.partner":
                    result[trace.id] = record
                elif partner_field and partner_field.comodel_name == "res.partner":
                    if record.partner_id:
                        result[trace.id] = record.partner_id
                elif email_normalize(trace.email or ""):
                    by_email[email_normalize(trace.email)].append(trace)
        if by_email:
            partners = (
                self.env["res.partner"]
                .sudo()
                .search([("email_normalized", "in", list(by_email))])
            )
            owners = defaultdict(set)
            for partner in partners:
                owners[partner.email_normalized].add(partner)
            for email, traces in by_email.items():
                found = owners.get(email, set())
                customers = {partner.commercial_partner_id for partner in found}
                if len(customers) == 1:
                    contact = min(
                        found, key=lambda p: (p != p.commercial_partner_id, p.id)
                    )
                    for trace in traces:
                        result[trace.id] = contact
        return {
            trace_id: contact
            for trace_id, contact in result.items()
            if contact.id not in internal
            and contact.commercial_partner_id.id not in internal
        }
