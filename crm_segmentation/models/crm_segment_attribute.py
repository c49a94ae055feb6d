# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmSegmentAttribute(models.Model):
    """A profile characteristic Odoo has no field for (education, income band,
    survey answers...): its values are set on customers and level domains can
    use them (``segment_attribute_value_ids``)."""

    _name = "crm.segment.attribute"
    _description = "Customer Profile Attribute"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share the attribute between companies.",
    )
    value_ids = fields.One2many(
        "crm.segment.attribute.value", "attribute_id", string="Values", copy=True
    )
