# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain
from odoo.tools.misc import clean_context

from odoo.addons.crm_lifecycle.bulk_insert import create_rows

# what the wizard reads of each customer, in one query
CUSTOMER_FIELDS = [
    "name",
    "email_normalized",
    "is_company",
    "commercial_company_name",
    "country_id",
]
# the marketing consent, when crm_privacy records it
NO_CONSENT = ("refused", "withdrawn")


class CrmSegmentMailingListWizard(models.TransientModel):
    """Subscribe customers (selected ones, or every customer of segments) to
    a mailing list, existing or new.

    Set-based: a fixed number of queries whatever the number of customers.
    Customers without a valid e-mail, whose marketing consent was refused or
    withdrawn, or whose address is blacklisted are skipped; an address that
    already is on the list (or left it) is not subscribed again.
    """

    _name = "crm.segment.mailing.list.wizard"
    _description = "Add Customers to a Mailing List"

    partner_ids = fields.Many2many("res.partner", string="Customers")
    cell_ids = fields.Many2many(
        "crm.segment.cell",
        string="Segments",
        help="Every customer of these segments is added.",
    )
    mailing_list_id = fields.Many2one(
        "mailing.list",
        help="The list to add the customers to; leave empty to create a new one.",
    )
    new_list_name = fields.Char(
        string="New Mailing List", help="Name of the mailing list to create."
    )
    customer_count = fields.Integer(
        compute="_compute_customer_count", string="Customers to Add"
    )

    @api.model
    def default_get(self, fields):
        res = super().default_get(fields)
        context = self.env.context
        active_ids = context.get("active_ids") or []
        if not active_ids:
            return res
        targets = {"res.partner": "partner_ids", "crm.segment.cell": "cell_ids"}
        field_name = targets.get(context.get("active_model"))
        if field_name and field_name in fields and not res.get(field_name):
            res[field_name] = [Command.set(active_ids)]
        return res

    @api.depends("partner_ids", "cell_ids")
    def _compute_customer_count(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            domain = wizard._customer_domain()
            wizard.customer_count = (
                0 if domain.is_false() else Partner.search_count(domain)
            )

    def _customer_domain(self):
        """The selected customers and those of the selected segments (read
        with the user's rights)."""
        self.ensure_one()
        domain = Domain.FALSE
        if self.partner_ids:
            domain |= Domain("id", "in", self.partner_ids._origin.ids)
        if self.cell_ids:
            domain |= Domain(
                "segment_membership_ids.cell_id", "in", self.cell_ids._origin.ids
            )
        return domain

    def _get_customers(self):
        """The customers to add, with what the wizard reads of them, in one
        query."""
        domain = self._customer_domain()
        if domain.is_false():
            return self.env["res.partner"]
        Partner = self.env["res.partner"]
        return Partner.search_fetch(domain, self._customer_fields())

    @api.model
    def _customer_fields(self):
        """What ``_subscribe`` reads of each customer (the marketing consent
        too, when crm_privacy records it)."""
        fields = CUSTOMER_FIELDS
        if "lifecycle_marketing_consent" in self.env["res.partner"]._fields:
            fields = [*fields, "lifecycle_marketing_consent"]
        return fields

    def _get_mailing_list(self):
        self.ensure_one()
        if self.mailing_list_id:
            return self.mailing_list_id
        name = (self.new_list_name or "").strip()
        if not name:
            raise UserError(
                self.env._(
                    "Choose a mailing list or give the name of a new one to add "
                    "the customers to."
                )
            )
        return self.env["mailing.list"].create({"name": name})

    def action_add_to_list(self):
        self.ensure_one()
        customers = self._get_customers()
        if not customers:
            raise UserError(
                self.env._(
                    "There are no customers to add: select customers, or a segment "
                    "that has customers."
                )
            )
        mailing_list = self._get_mailing_list()
        counts = self._subscribe(mailing_list, customers)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if counts["added"] else "warning",
                "title": mailing_list.name,
                "message": self._summary(counts),
                "sticky": counts["added"] != len(customers),
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "mailing.list",
                    "res_id": mailing_list.id,
                    "views": [[False, "form"]],
                    "target": "current",
                },
            },
        }

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _subscribe(self, mailing_list, customers):
        """Subscribe the customers' addresses to the mailing list.

        Existing mailing contacts are found by normalized e-mail and reused,
        the missing ones are created in one ``create()``, and the subscriptions
        in another: a fixed number of queries whatever the number of customers.
        Returns the number of customers per outcome: ``added``, ``already`` (the
        address is on the list, or is the address of another customer of the
        batch), ``opted_out`` (the address left the list: not subscribed
        again), ``no_email``, ``no_consent`` and ``blacklisted``.
        """
        counts = dict.fromkeys(
            ("added", "already", "opted_out", "no_email", "no_consent", "blacklisted"),
            0,
        )
        by_email = {}  # normalized e-mail -> customers, in order
        consent = "lifecycle_marketing_consent" in customers._fields
        for customer in customers:
            if not customer.email_normalized:
                counts["no_email"] += 1
            elif consent and customer.lifecycle_marketing_consent in NO_CONSENT:
                counts["no_consent"] += 1
            else:
                by_email.setdefault(customer.email_normalized, []).append(customer)
        if by_email:
            blacklisted = self.env["mail.blacklist"].search_fetch(
                [("email", "in", list(by_email))], ["email"]
            )
            for email in set(blacklisted.mapped("email")):
                counts["blacklisted"] += len(by_email.pop(email, []))
        if not by_email:
            return counts

        Contact = self.env["mailing.contact"].with_context(
            clean_context(self.env.context), mail_create_nosubscribe=True
        )
        # The list's subscriptions of these addresses (opted out ones included).
        subscriptions = self.env["mailing.subscription"].search_fetch(
            [
                ("list_id", "=", mailing_list.id),
                ("contact_id.email_normalized", "in", list(by_email)),
            ],
            ["contact_id", "opt_out"],
        )
        subscriptions.contact_id.fetch(["email_normalized"])
        on_list = {}  # e-mail -> still subscribed
        for subscription in subscriptions:
            email = subscription.contact_id.email_normalized
            on_list[email] = on_list.get(email) or not subscription.opt_out
        for email, subscribed in on_list.items():
            key = "already" if subscribed else "opted_out"
            counts[key] += len(by_email.pop(email))
        if not by_email:
            return counts

        # Reuse the oldest mailing contact of each address, create the others.
        contacts = {}
        for contact in Contact.search_fetch(
            [("email_normalized", "in", list(by_email))],
            ["email_normalized"],
            order="id",
        ):
            contacts.setdefault(contact.email_normalized, contact)
        missing = [email for email in by_email if email not in contacts]
        if missing:
            new_contacts = self._create_contacts(
                Contact, [self._contact_values(by_email[email][0]) for email in missing]
            )
            contacts.update(zip(missing, new_contacts, strict=True))
        # one insert (create() inserts by 100)
        subscriptions = [
            # subscribed: no opt-out date (as its compute sets it)
            {
                "contact_id": contacts[email].id,
                "list_id": mailing_list.id,
                "opt_out_datetime": False,
            }
            for email in by_email
        ]
        Subscription = self.env["mailing.subscription"]
        if create_rows(Subscription, subscriptions) is None:
            Subscription.create(subscriptions)
        # the lists' contacts and the contacts' lists are many2many fields on
        # the subscription table: the ORM does not see the new rows
        mailing_list.invalidate_recordset(["contact_ids", "subscription_ids"])
        Contact.invalidate_model(["list_ids", "subscription_ids"])
        for batch in by_email.values():
            counts["added"] += 1
            counts["already"] += len(batch) - 1
        return counts

    def _create_contacts(self, Contact, vals_list):
        """The mailing contacts, in one INSERT when their chatter is off (the
        actions on entering of a nightly batch, ``tracking_disable``: no
        creation note; ``create()`` inserts by hundreds), else ``create()``.
        The address given is normalized already: it is the stored
        ``email_normalized`` its compute would set."""
        rows = [dict(vals, email_normalized=vals["email"]) for vals in vals_list]
        contacts = create_rows(Contact, rows)
        return Contact.create(vals_list) if contacts is None else contacts

    def _contact_values(self, customer):
        return {
            "name": customer.name,
            "email": customer.email_normalized,
            "company_name": (
                False if customer.is_company else customer.commercial_company_name
            ),
            "country_id": customer.country_id.id,
        }

    def _summary(self, counts):
        """The outcome for the user: how many were added, and why the others
        were not."""
        lines = [
            self.env._("%(count)s customers added.", count=counts["added"]),
        ]
        reasons = [
            (
                "already",
                self.env._("%(count)s already on the list.", count=counts["already"]),
            ),
            (
                "opted_out",
                self.env._(
                    "%(count)s skipped: unsubscribed from the list.",
                    count=counts["opted_out"],
                ),
            ),
            (
                "no_email",
                self.env._(
                    "%(count)s skipped: no valid e-mail address.",
                    count=counts["no_email"],
                ),
            ),
            (
                "no_consent",
                self.env._(
                    "%(count)s skipped: marketing consent refused or withdrawn.",
                    count=counts["no_consent"],
                ),
            ),
            (
                "blacklisted",
                self.env._(
                    "%(count)s skipped: e-mail address blacklisted.",
                    count=counts["blacklisted"],
                ),
            ),
        ]
        lines += [text for key, text in reasons if counts[key]]
        return " ".join(lines)
