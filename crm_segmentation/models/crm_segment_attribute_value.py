# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmSegmentAttributeValue(models.Model):
    _name = "crm.segment.attribute.value"
    _description = "Customer Profile Attribute Value"
    _order = "attribute_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    attribute_id = fields.Many2one(
        "crm.segment.attribute", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="attribute_id.company_id", store=True)
    partner_ids = fields.Many2many(
        "res.partner",
        "crm_segment_attribute_value_res_partner_rel",
        "value_id",
        "partner_id",
        string="Customers",
    )

    _attribute_name_uniq = models.UniqueIndex(
        "(attribute_id, name)", "This value already exists for the attribute."
    )

    @api.depends("name", "attribute_id.name")
    def _compute_display_name(self):
        for value in self:
            value.display_name = f"{value.attribute_id.name}: {value.name}"
