# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complaint a core wizard (credit note, return) was opened from: the
complaint's actions pass ``complaint_id`` in the context, and the wizard links
the documents it creates to that complaint.

No class docstring: the first docstring in a model's MRO becomes the
description (``ir.model.info``) of the core wizards that inherit this mixin."""

from odoo import api, fields, models


class CrmComplaintWizardMixin(models.AbstractModel):
    _name = "crm.complaint.wizard.mixin"
    _description = "Wizard Opened from a Complaint"

    complaint_id = fields.Many2one("crm.complaint", readonly=True)

    @api.model
    def default_get(self, fields):
        res = super().default_get(fields)
        complaint_id = self.env.context.get("complaint_id")
        if complaint_id and "complaint_id" in fields:
            # the context comes from the client: only a complaint the user reads
            complaint = self.env["crm.complaint"].browse(int(complaint_id))
            complaint.check_access("read")
            res["complaint_id"] = complaint.id
        return res
