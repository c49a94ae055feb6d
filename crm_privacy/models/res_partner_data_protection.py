# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

# Personal data cleared by the anonymisation of a customer and its contacts.
# Company names, tax ids and countries stay: accounting documents need them.
PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "website",
    "comment",
    "function",
    "image_1920",
)


class ResPartner(models.Model):
    """Data protection of customers: consent and legal basis, access requests
    (export) and erasure requests (anonymisation), by the company's customer
    data custodian, logged in the data protection register."""

    _inherit = "res.partner"

    lifecycle_marketing_consent = fields.Selection(
        [
            ("unknown", "Not asked"),
            ("granted", "Granted"),
            ("refused", "Refused"),
            ("withdrawn", "Withdrawn"),
        ],
        string="Marketing Consent",
        default="unknown",
        tracking=True,
        copy=False,
        groups="base.group_user",
        help="Refused or withdrawn consent also puts the e-mail address on the "
        "mailing blacklist.",
    )
    lifecycle_consent_date = fields.Datetime(
        string="Consent Updated On", copy=False, readonly=True, groups="base.group_user"
    )
    lifecycle_legal_basis = fields.Selection(
        [
            ("consent", "Consent"),
            ("contract", "Contract"),
            ("legitimate_interest", "Legitimate interest"),
            ("legal_obligation", "Legal obligation"),
        ],
        string="Legal Basis",
        tracking=True,
        groups="base.group_user",
        help="Why the company may process this customer's personal data.",
    )
    lifecycle_consent_source = fields.Char(
        string="Consent Source",
        groups="base.group_user",
        help="How and where the consent was given (web form, signed order...).",
    )
    lifecycle_is_data_custodian = fields.Boolean(
        compute="_compute_lifecycle_is_data_custodian", groups="base.group_user"
    )

    @api.depends_context("uid", "company")
    def _compute_lifecycle_is_data_custodian(self):
        allowed = self._lifecycle_may_handle_personal_data()
        for partner in self:
            partner.lifecycle_is_data_custodian = allowed

    def write(self, vals):
        if "lifecycle_marketing_consent" in vals:
            vals = dict(vals, lifecycle_consent_date=fields.Datetime.now())
            if not self.env.context.get("lifecycle_anonymizing"):
                self._lifecycle_sync_blacklist(vals["lifecycle_marketing_consent"])
        return super().write(vals)

    @api.model
    def _lifecycle_unguarded_fields(self):
        # whether the reader is the custodian: nothing about the customer
        return super()._lifecycle_unguarded_fields() | {"lifecycle_is_data_custodian"}

    @api.model
    def _lifecycle_may_handle_personal_data(self):
        user = self.env.user
        return user.has_group("base.group_system") or (
            user in self.env.companies.lifecycle_data_custodian_id
        )

    def _lifecycle_check_custodian(self):
        if not self._lifecycle_may_handle_personal_data():
            raise AccessError(
                self.env._(
                    "Only the customer data custodian of the company (or an "
                    "administrator) can export or anonymize a customer's "
                    "personal data."
                )
            )

    def action_lifecycle_export_personal_data(self):
        """Access request: everything the suite holds about the customer, as a
        JSON file attached to the customer, and a line in the register."""
        self.ensure_one()
        self._lifecycle_check_custodian()
        customer = self.commercial_partner_id.sudo()
        data = customer._lifecycle_personal_data()
        now = fields.Datetime.now()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"personal-data-{customer.id}-{now:%Y%m%d%H%M%S}.json",
                    "mimetype": "application/json",
                    "datas": base64.b64encode(
                        json.dumps(
                            data, indent=2, ensure_ascii=False, default=str
                        ).encode()
                    ),
                    # attached to no record: only whoever exported it and the
                    # administrators read it, not everyone who reads the customer
                    "res_model": False,
                    "res_id": False,
                }
            )
        )
        self.env["privacy.log"].sudo().create(
            {
                "crm_partner_id": customer.id,
                "crm_action": "export",
                "crm_attachment_id": attachment.id,
                "execution_details": ", ".join(
                    f"{key}: {len(value)}"
                    for key, value in data.items()
                    if isinstance(value, list)
                ),
            }
        )
        customer.message_post(
            body=self.env._("Personal data exported (access request)."),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _lifecycle_personal_data(self):
        """What the suite holds about this (commercial) customer. Other addons
        add their records (complaints, segments) by extending the dict."""
        self.ensure_one()
        people = self | self.child_ids

        def partner_data(partner):
            return {
                "id": partner.id,
                "name": partner.name,
                "email": partner.email,
                "phone": partner.phone,
                "address": partner._display_address(without_company=True),
                "vat": partner.vat,
                "function": partner.function,
                "lang": partner.lang,
                "marketing_consent": partner.lifecycle_marketing_consent,
                "consent_date": partner.lifecycle_consent_date,
                "legal_basis": partner.lifecycle_legal_basis,
                "consent_source": partner.lifecycle_consent_source,
            }

        interactions = (
            self.env["crm.interaction"]
            .sudo()
            .search([("partner_id", "=", self.id)], order="date")
        )
        # a customer shared by the companies has a stage (and facts) in each:
        # those of the companies the custodian works in
        companies = self.env.companies.sorted("id")
        history = (
            self.env["crm.lifecycle.history"]
            .sudo()
            .search(
                [("partner_id", "=", self.id), ("company_id", "in", companies.ids)],
                order="date",
            )
        )

        def lifecycle_data(company):
            customer = self.with_company(company)
            return {
                "company": company.name,
                "stage": customer.lifecycle_stage_id.name,
                "in_stage_since": customer.lifecycle_date_stage,
                "facts": {
                    fname: customer[fname]
                    for fname in customer._lifecycle_fact_fields()
                },
            }

        return {
            "exported_on": fields.Datetime.now(),
            "customer": partner_data(self),
            "contacts": [partner_data(contact) for contact in self.child_ids],
            "lifecycle": [lifecycle_data(company) for company in companies],
            "lifecycle_history": [
                {
                    "company": move.company_id.name,
                    "date": move.date,
                    "from": move.stage_from_id.name,
                    "to": move.stage_to_id.name,
                    "trigger": move.trigger,
                    "reason": move.reason_display,
                }
                for move in history
            ],
            "interactions": [
                {
                    "date": interaction.date,
                    "type": interaction.interaction_type,
                    "summary": interaction.name,
                    "contact": interaction.contact_id.name,
                    "notes": interaction.description,
                    "document": interaction.source_name,
                    "promise_date": interaction.promise_date,
                    "promise_amount": interaction.promise_amount,
                }
                for interaction in interactions
            ],
            "sale_orders": [
                {
                    "name": order.name,
                    "date": order.date_order,
                    "state": order.state,
                    "amount_total": order.amount_total,
                }
                for order in self.env["sale.order"]
                .sudo()
                .search([("partner_id", "in", people.ids)], order="date_order")
            ],
            "invoices": [
                {
                    "name": move.name,
                    "date": move.invoice_date,
                    "state": move.state,
                    "amount_total": move.amount_total,
                }
                for move in self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "=", self.id),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                    ],
                    order="invoice_date",
                )
            ],
        }

    def action_lifecycle_anonymize(self):
        """Erasure request: remove the personal data of the customer, its
        contacts, interactions (and, in other addons, complaints). Accounting
        documents and the figures computed from them stay as they are."""
        self._lifecycle_check_custodian()
        for customer in self.commercial_partner_id.sudo():
            customer._lifecycle_anonymize()
        return True

    @api.model
    def _lifecycle_open_order_domain(self):
        """Confirmed orders not fully delivered or invoiced: a running contract
        (blocks an erasure, and a retention proposal)."""
        return Domain("state", "=", "sale") & (
            Domain("invoice_status", "=", "to invoice")
            | Domain("delivery_status", "in", ("pending", "started", "partial"))
        )

    @api.model
    def _lifecycle_unpaid_invoice_domain(self):
        return (
            Domain("move_type", "in", ("out_invoice", "out_refund"))
            & Domain("state", "=", "posted")
            & Domain("payment_state", "in", ("not_paid", "partial"))
        )

    def _lifecycle_anonymize_blockers(self):
        """Reasons not to erase yet: a contract still running (orders not
        delivered or invoiced, invoices not paid, money still open). Other
        addons add theirs (open complaints)."""
        self.ensure_one()
        reasons = []
        people = (self | self.with_context(active_test=False).child_ids).ids
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                Domain("partner_id", "in", people) & self._lifecycle_open_order_domain()
            )
        )
        if orders:
            reasons.append(
                self.env._(
                    "open orders: %(orders)s",
                    orders=", ".join(orders.mapped("name")),
                )
            )
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                Domain("commercial_partner_id", "=", self.id)
                & self._lifecycle_unpaid_invoice_domain()
            )
        )
        if invoices:
            reasons.append(
                self.env._(
                    "unpaid invoices: %(invoices)s",
                    invoices=", ".join(invoices.mapped("name")),
                )
            )
        elif self.lifecycle_receivable_amount:
            reasons.append(self.env._("the customer still has open receivable items"))
        return reasons

    def _lifecycle_anonymize(self):
        self.ensure_one()
        done = (
            self.env["privacy.log"]
            .sudo()
            .search(
                [("crm_partner_ref", "=", self.id), ("crm_action", "=", "anonymize")],
                limit=1,
            )
        )
        if done:
            raise UserError(
                self.env._(
                    "%(customer)s was already anonymized on %(date)s.",
                    customer=self.display_name,
                    date=fields.Datetime.to_string(done.date),
                )
            )
        reasons = self._lifecycle_anonymize_blockers()
        if reasons:
            raise UserError(
                self.env._(
                    "%(customer)s cannot be anonymized yet: %(reasons)s.",
                    customer=self.display_name,
                    reasons="; ".join(reasons),
                )
            )
        people = self | self.with_context(active_test=False).child_ids
        # what identifies them, read before it is cleared: their traces elsewhere
        # (leads, mails, mailing lists) are found by it
        identities = {
            "emails": {
                email
                for person in people
                for email in (person.email_normalized, (person.email or "").strip())
                if email
            },
            "phones": {(p.phone or "").strip() for p in people if p.phone},
        }
        # the register keeps them masked, as Odoo's privacy lookup does
        masked = {"anonymized_name": self.name, "anonymized_email": self.email or ""}
        label = self.env._("Anonymized customer %(id)s", id=self.id)
        # Posted documents keep the customer name they were issued with.
        moves = (
            self.env["account.move"]
            .sudo()
            .search([("commercial_partner_id", "=", self.id), ("state", "=", "posted")])
        )
        field = moves._fields["invoice_partner_display_name"]
        values = dict.fromkeys(PERSONAL_FIELDS, False)
        values.update(
            lifecycle_marketing_consent="withdrawn",
            lifecycle_consent_source=False,
        )
        with self.env.protecting([field], moves):
            for person in people:
                person_values = dict(values)
                if not person.is_company:
                    person_values["name"] = (
                        label
                        if person == self
                        else self.env._("Contact %(id)s", id=person.id)
                    )
                    person_values["vat"] = False
                # no tracking: the old values would land in the chatter
                person.with_context(
                    lifecycle_anonymizing=True, tracking_disable=True, mail_notrack=True
                ).write(person_values)
        interactions = self._lifecycle_anonymize_interactions()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "res.partner"), ("res_id", "in", people.ids)])
        )
        messages.unlink()
        # the files of earlier access requests hold everything that was erased
        exports = (
            self.env["privacy.log"]
            .sudo()
            .search([("crm_partner_ref", "=", self.id), ("crm_action", "=", "export")])
            .crm_attachment_id
        )
        exports.unlink()
        details = self._lifecycle_erase_traces(people, identities)
        details += self._lifecycle_anonymize_related()
        self.env["privacy.log"].sudo().create(
            {
                "crm_partner_id": self.id,
                "crm_action": "anonymize",
                **masked,
                "execution_details": "\n".join(
                    [
                        *(
                            [self.env._("reason: %(reason)s", reason=reason)]
                            if (
                                reason := self.env.context.get(
                                    "lifecycle_erasure_reason"
                                )
                            )
                            else []
                        ),
                        self.env._("contacts: %(count)s", count=len(people) - 1),
                        self.env._("interactions: %(count)s", count=interactions),
                        self.env._("messages removed: %(count)s", count=len(messages)),
                        self.env._("exports removed: %(count)s", count=len(exports)),
                        *details,
                    ]
                ),
            }
        )

    def _lifecycle_anonymize_interactions(self):
        """The customer's timeline keeps its interactions (what happened,
        when, by whom of the company), without what identifies the people:
        their summary, notes and contact, in one statement for all of them
        (the ORM writes 100 rows per statement: a customer of many years has
        thousands). Returns how many."""
        self.ensure_one()
        Interaction = self.env["crm.interaction"].sudo()
        fnames = ["name", "description", "contact_id", "write_uid", "write_date"]
        Interaction.flush_model(["partner_id", *fnames])
        self.env.execute_query(
            SQL(
                """
                UPDATE crm_interaction
                   SET name = %s, description = NULL, contact_id = NULL,
                       write_uid = %s, write_date = %s
                 WHERE partner_id = %s
                """,
                self.env._("Anonymized"),
                self.env.uid,
                self.env.cr.now(),
                self.id,
            )
        )
        count = self.env.cr.rowcount
        Interaction.invalidate_model(fnames)
        return count

    def _lifecycle_erase_traces(self, people, identities):
        """Remove what identifies these people outside their partner records:
        leads, the conversation on their documents and the messages they wrote
        or received, the e-mails sent to them, activities, meetings, ratings,
        their mailing contacts and traces (when Email Marketing is installed),
        their portal users and the files attached to them.

        What stays, because the law keeps accounting documents: posted invoices
        and credit notes keep the customer name they were issued with
        (``account_move.invoice_partner_display_name``); their lines, payments
        and the amounts stay linked to the (anonymized) partner record.

        :param identities: {"emails": set, "phones": set} read before erasure
        :return: lines for the register
        """
        self.ensure_one()
        env = self.env
        emails = sorted(identities["emails"])
        lines = []
        Lead = env["crm.lead"].sudo().with_context(active_test=False)
        lead_domain = Domain("partner_id", "in", people.ids)
        if emails:
            lead_domain |= Domain("email_normalized", "in", emails)
        leads = Lead.search(lead_domain)
        leads.with_context(tracking_disable=True, mail_notrack=True).write(
            {
                "email_from": False,
                "email_cc": False,
                "phone": False,
                "contact_name": False,
                "description": False,
            }
        )
        lines.append(env._("leads: %(count)s", count=len(leads)))
        # their documents: the conversation about them goes with them
        documents = {
            "crm.lead": leads.ids,
            "sale.order": env["sale.order"]
            .sudo()
            .search([("partner_id", "in", people.ids)])
            .ids,
            "stock.picking": env["stock.picking"]
            .sudo()
            .search([("partner_id", "in", people.ids)])
            .ids,
            "res.partner": people.ids,
        }
        document_domain = Domain.OR(
            Domain("model", "=", model) & Domain("res_id", "in", ids)
            for model, ids in documents.items()
            if ids
        )
        Message = env["mail.message"].sudo()
        messages = Message.search(
            document_domain
            | Domain("author_id", "in", people.ids)
            | Domain("partner_ids", "in", people.ids)
        )
        mails = (
            env["mail.mail"]
            .sudo()
            .search(
                Domain("recipient_ids", "in", people.ids)
                | Domain("mail_message_id", "in", messages.ids)
                | Domain.OR(Domain("email_to", "ilike", email) for email in emails)
            )
        )
        mails.unlink()
        messages.unlink()
        lines.append(env._("e-mails removed: %(count)s", count=len(mails)))
        activities = (
            env["mail.activity"]
            .sudo()
            .search(
                Domain.OR(
                    Domain("res_model", "=", model) & Domain("res_id", "in", ids)
                    for model, ids in documents.items()
                    if ids
                )
            )
        )
        activities.unlink()
        attendees = (
            env["calendar.attendee"].sudo().search([("partner_id", "in", people.ids)])
        )
        events = attendees.event_id
        attendees.unlink()
        identifying = identities["emails"] | identities["phones"]
        needles = [value.lower() for value in identifying]
        # the contact details calendar writes into the description go too
        described = events.filtered(
            lambda event: any(
                needle in (event.description or "").lower() for needle in needles
            )
        )
        leave = [Command.unlink(pid) for pid in people.ids]
        events = events.with_context(tracking_disable=True)
        (events - described).write({"partner_ids": leave})
        (events & described).write({"partner_ids": leave, "description": False})
        # the invitations (.ics) list the attendees
        env["ir.attachment"].sudo().search(
            [("res_model", "=", "calendar.event"), ("res_id", "in", events.ids)]
        ).unlink()
        lines.append(env._("meetings: %(count)s", count=len(events)))
        if "rating.rating" in env:  # a module of its own
            env["rating.rating"].sudo().search(
                [("partner_id", "in", people.ids)]
            ).write({"feedback": False})
        if "mailing.contact" in env and emails:  # Email Marketing installed
            # off the mailing lists, and their address out of the mailing traces
            contacts = (
                env["mailing.contact"]
                .sudo()
                .with_context(active_test=False)
                .search([("email_normalized", "in", emails)])
            )
            contacts.unlink()
            env["mailing.trace"].sudo().search([("email", "in", emails)]).write(
                {"email": False}
            )
            lines.append(
                env._("mailing contacts removed: %(count)s", count=len(contacts))
            )
        users = (
            env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", people.ids)])
        )
        for user in users:
            user.write({"login": f"anonymized-{user.id}", "active": False})
        env["res.users.apikeys"].sudo().search([("user_id", "in", users.ids)]).unlink()
        lines.append(env._("portal users closed: %(count)s", count=len(users)))
        env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", people.ids)]
        ).unlink()
        return lines

    def _lifecycle_anonymize_related(self):
        """Hook: other addons anonymize their records about the customer and
        return lines for the register."""
        return []

    def _lifecycle_portal_set_consent(self, give):
        """The customer gives (``give``) or withdraws its marketing consent in
        the portal: dated, its source recorded, the mailing blacklist kept in
        step (see ``write``), an inbound interaction in the customer's
        timeline and a line in the register. ``self`` is the portal user's own
        partner, never another (the controller takes no partner)."""
        self.ensure_one()
        partner = self.sudo()
        current = partner.lifecycle_marketing_consent
        if give:
            consent = "granted"
        else:
            consent = "withdrawn" if current == "granted" else "refused"
        if consent == current:
            return False
        source = self.env._("Customer portal")
        partner.write(
            {"lifecycle_marketing_consent": consent, "lifecycle_consent_source": source}
        )
        label = dict(
            self._fields["lifecycle_marketing_consent"]._description_selection(self.env)
        )[consent]
        customer = partner.commercial_partner_id
        summary = self.env._(
            "Marketing consent %(consent)s by the customer in the portal",
            consent=label.lower(),
        )
        self.env["crm.interaction"].sudo().create(
            {
                "partner_id": customer.id,
                "contact_id": partner.id if partner != customer else False,
                "company_id": (customer.company_id or self.env.company).id,
                "interaction_type": "note",
                "channel": "portal",
                "direction": "inbound",
                "outcome": "info",
                "name": summary,
                "user_id": customer.user_id.id,
            }
        )
        self.env["privacy.log"].sudo().create(
            {
                "crm_partner_id": partner.id,
                "crm_action": "consent",
                "crm_company_id": (customer.company_id or self.env.company).id,
                # the register keeps ids, never a name or an address
                "execution_details": summary,
            }
        )
        return True

    def _lifecycle_sync_blacklist(self, consent):
        """No marketing e-mails to whoever refused or withdrew consent."""
        blacklist = self.env["mail.blacklist"].sudo()
        label = dict(
            self._fields["lifecycle_marketing_consent"]._description_selection(self.env)
        ).get(consent)
        for partner in self.filtered("email"):
            if consent in ("refused", "withdrawn"):
                blacklist._add(
                    partner.email,
                    message=self.env._("Marketing consent %(consent)s", consent=label),
                )
            elif consent == "granted":
                blacklist._remove(
                    partner.email, message=self.env._("Marketing consent granted")
                )

    @api.model
    def _lifecycle_no_marketing_domain(self):
        return super()._lifecycle_no_marketing_domain() | Domain(
            "lifecycle_marketing_consent", "in", ("refused", "withdrawn")
        )
