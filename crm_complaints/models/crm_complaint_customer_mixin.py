# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmComplaintCustomerMixin(models.AbstractModel):
    """Open complaints of a document's customer, for the warning banner shown on
    quotations, orders, invoices and deliveries."""

    _name = "crm.complaint.customer.mixin"
    _description = "Complaints of the Document's Customer"
    # the field of crm.complaint pointing to documents of the inheriting model
    # (their complaint_ids, declared by each, and complaint_count)
    _complaint_document_field = None

    complaint_count = fields.Integer(
        string="Number of Complaints",
        compute="_compute_complaint_count",
        compute_sudo=True,
        groups="base.group_user",
    )
    complaint_customer_open_count = fields.Integer(
        string="Open Complaints of the Customer",
        compute="_compute_complaint_customer_open_count",
        compute_sudo=True,
        groups="base.group_user",
    )

    def _compute_complaint_customer_open_count(self):
        customers = self.partner_id.commercial_partner_id
        counts = {}
        if customers:
            groups = self.env["crm.complaint"]._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("is_closed", "=", False),
                    ("company_id", "in", self.company_id.ids),
                ],
                ["commercial_partner_id", "company_id"],
                ["__count"],
            )
            counts = {
                (customer.id, company.id): count for customer, company, count in groups
            }
        for record in self:
            record.complaint_customer_open_count = counts.get(
                (record.partner_id.commercial_partner_id.id, record.company_id.id), 0
            )

    def _compute_complaint_count(self):
        """Complaints about each document (``complaint_count``), one query."""
        fname = self._complaint_document_field
        groups = self.env["crm.complaint"]._read_group(
            [(fname, "in", self.ids)], [fname], ["__count"]
        )
        counts = {document.id: count for document, count in groups}
        for record in self:
            record.complaint_count = counts.get(record.id, 0)

    def action_view_complaints(self):
        """The complaints about this document; a new one is about it."""
        self.ensure_one()
        return self._complaint_action_for(
            self.complaint_ids,
            {
                self._complaint_document_field: self.id,
                "partner_id": self.partner_id.id,
            },
        )

    def action_view_customer_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_complaints.crm_complaint_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
            ("is_closed", "=", False),
        ]
        action["context"] = {"create": False}
        return action

    def _complaint_action_for(self, complaints, default_values):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_complaints.crm_complaint_action"
        )
        action["domain"] = [("id", "in", complaints.ids)]
        action["context"] = {
            f"default_{name}": value for name, value in default_values.items()
        }
        if len(complaints) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = complaints.id
        return action
