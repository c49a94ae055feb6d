# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import html2plaintext


class ResPartner(models.Model):
    """The complaints of a customer in its data requests: exported with the
    rest, scrubbed by the erasure, and an open one holds the erasure (and a
    retention proposal) back."""

    _inherit = "res.partner"

    def _lifecycle_personal_data(self):
        data = super()._lifecycle_personal_data()
        complaints = (
            self.env["crm.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "=", self.id)], order="date_open")
        )
        data["complaints"] = [
            {
                "reference": complaint.name,
                "opened_on": complaint.date_open,
                "closed_on": complaint.date_closed,
                "kind": complaint.kind,
                "channel": complaint.channel,
                "subject": complaint.subject,
                "contact": complaint.partner_id.name,
                "email": complaint.email_from,
                "description": html2plaintext(complaint.description or ""),
                "resolution": html2plaintext(complaint.resolution or ""),
                "stage": complaint.stage_id.name,
                "amount_claimed": complaint.amount_claimed,
                "amount_granted": complaint.amount_granted,
                "rating": complaint.rating_last_value,
            }
            for complaint in complaints
        ]
        return data

    def _lifecycle_anonymize_blockers(self):
        """A complaint still open is a conversation still running."""
        reasons = super()._lifecycle_anonymize_blockers()
        still_open = (
            self.env["crm.complaint"]
            .sudo()
            .search(
                [("commercial_partner_id", "=", self.id), ("is_closed", "=", False)]
            )
        )
        if still_open:
            reasons.append(
                self.env._(
                    "open complaints: %(complaints)s",
                    complaints=", ".join(still_open.mapped("name")),
                )
            )
        return reasons

    def _lifecycle_anonymize_related(self):
        """Erasure request: the complaints keep their reference, dates, stage,
        category and amounts (the service statistics), not what identifies or
        describes the person: subject, texts, e-mail, conversation, feedback."""
        lines = super()._lifecycle_anonymize_related()
        complaints = (
            self.env["crm.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "=", self.id)])
        )
        if not complaints:
            return lines
        complaints.with_context(tracking_disable=True, mail_notrack=True).write(
            {
                "subject": self.env._("Anonymized"),
                "description": False,
                "resolution": False,
                "root_cause": False,
                "corrective_action": False,
                "preventive_action": False,
                "email_from": False,
                "access_token": False,
            }
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "crm.complaint"), ("res_id", "in", complaints.ids)])
        )
        messages.unlink()
        # what the customer sent (photos, documents): unlinking the messages
        # leaves the files attached to the complaints themselves
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "crm.complaint"), ("res_id", "in", complaints.ids)]
            )
        )
        attachments.unlink()
        complaints.rating_ids.sudo().write({"feedback": False})
        lines.append(self.env._("complaints: %(count)s", count=len(complaints)))
        lines.append(
            self.env._("complaint files removed: %(count)s", count=len(attachments))
        )
        return lines

    def _lifecycle_erasure_blocked(self):
        """The retention proposals leave out the customers with an open
        complaint: the condition of ``_lifecycle_anonymize_blockers``, read
        set-based."""
        blocked = super()._lifecycle_erasure_blocked()
        if not self:
            return blocked
        complaints = (
            self.env["crm.complaint"]
            .sudo()
            .search(
                [("commercial_partner_id", "in", self.ids), ("is_closed", "=", False)]
            )
        )
        return blocked | (self & complaints.commercial_partner_id)
