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
    # Files attached to the portal form: how many, and the size of each (bytes).
    _portal_attachment_count = 5
    _portal_attachment_size = 10 * 2**20

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
    def _portal_check_attachments(self, files):
        """Errors for the files (name, content) the portal form refuses: too
        many, or one too large."""
        errors = {}
        if len(files) > self._portal_attachment_count:
            errors["attachments"] = self.env._(
                "Too many files: %(max)s at most.",
                max=self._portal_attachment_count,
            )
        too_large = [
            name
            for name, content in files
            if len(content) > self._portal_attachment_size
        ]
        if too_large:
            errors["attachment_size"] = self.env._(
                "%(files)s: too large, %(max)s MB per file at most.",
                files=", ".join(too_large),
                max=self._portal_attachment_size // 2**20,
            )
        return errors

    def _portal_attach_files(self, partner, files):
        """Post the files the customer sent with the form in the conversation
        of the complaint, as the customer's message (core's attachments: the
        customer and the team see and open them there)."""
        self.ensure_one()
        if not files:
            return self.env["mail.message"]
        return self.message_post(
            body=self.env._("Files sent with the request."),
            attachments=files,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

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
