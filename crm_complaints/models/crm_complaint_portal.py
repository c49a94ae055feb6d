# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer portal lets a customer file: sizes of what it types, the
same request sent twice, and bursts of requests from one account."""

from datetime import timedelta

from odoo import api, fields, models


class CrmComplaint(models.Model):
    _inherit = "crm.complaint"

    # Longest subject and description (characters) the portal form accepts.
    _portal_subject_size = 200
    _portal_description_size = 20000
    # A request filed again within these minutes is the same request.
    _portal_duplicate_minutes = 10

    @api.model
    def _portal_check_sizes(self, subject, description):
        """Errors for a subject or a description the portal form refuses."""
        errors = {}
        if len(subject or "") > self._portal_subject_size:
            errors["subject"] = self.env._(
                "The subject is too long: %(max)s characters at most.",
                max=self._portal_subject_size,
            )
        if len(description or "") > self._portal_description_size:
            errors["description"] = self.env._(
                "The description is too long: %(max)s characters at most. "
                "Attach a file to the conversation instead.",
                max=self._portal_description_size,
            )
        return errors

    @api.model
    def _portal_duplicate(self, values):
        """The complaint the customer filed moments ago with the same subject
        and documents, if any: sending the form twice files one request."""
        partner = self.env["res.partner"].browse(values["partner_id"])
        minutes = self._portal_duplicate_minutes
        since = fields.Datetime.now() - timedelta(minutes=minutes)
        domain = [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("channel", "=", "portal"),
            ("date_open", ">=", since),
            ("kind", "=", values.get("kind")),
            ("invoice_id", "=", values.get("invoice_id") or False),
            ("picking_id", "=", values.get("picking_id") or False),
        ]
        if values.get("sale_order_id"):
            # without it, the order may come from the delivery (computed)
            domain.append(("sale_order_id", "=", values["sale_order_id"]))
        candidates = self.search(domain, order="id desc")
        subject = " ".join((values.get("subject") or "").split()).casefold()
        return candidates.filtered(
            lambda c: " ".join((c.subject or "").split()).casefold() == subject
        )[:1]

    @api.model
    def _portal_rate_exceeded(self, partner, company):
        """Whether the portal account (its contact ``partner``) already filed
        its hourly number of requests (the company's limit; 0: none)."""
        limit = company.sudo().complaint_portal_hourly_limit
        if not limit:
            return False
        filed = self.search_count(
            [
                ("partner_id", "=", partner.id),
                ("channel", "=", "portal"),
                ("date_open", ">=", fields.Datetime.now() - timedelta(hours=1)),
            ]
        )
        return filed >= limit
