# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmComplaintCategory(models.Model):
    _name = "crm.complaint.category"
    _description = "Complaint Category"
    _parent_store = True
    _parent_name = "parent_id"
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name"]
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    parent_id = fields.Many2one(
        "crm.complaint.category",
        string="Parent Category",
        index=True,
        ondelete="cascade",
    )
    parent_path = fields.Char(index=True)
    # the path in the reader's language, from the parents' own
    display_name = fields.Char(recursive=True)
    child_ids = fields.One2many(
        "crm.complaint.category", "parent_id", string="Subcategories"
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = (
                    f"{category.parent_id.complete_name} / {category.name}"
                )
            else:
                category.complete_name = category.name

    @api.depends("name", "parent_id.display_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The path in the reader's language (``complete_name`` is stored, for
        sorting, in the language it was computed in)."""
        for category in self:
            category.display_name = (
                f"{category.parent_id.display_name} / {category.name}"
                if category.parent_id
                else category.name
            )

    @api.constrains("parent_id")
    def _check_category_recursion(self):
        if self._has_cycle():
            raise ValidationError(self.env._("You cannot create recursive categories."))
