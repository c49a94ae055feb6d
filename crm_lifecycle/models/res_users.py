# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# Changes of these fields can turn a user's partner into (or out of) an
# internal partner, which the lifecycle never treats as a customer.
INTERNAL_FIELDS = {"group_ids", "share", "partner_id", "active"}


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.env.registry.clear_cache()
        return users

    def write(self, vals):
        res = super().write(vals)
        if INTERNAL_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return res
