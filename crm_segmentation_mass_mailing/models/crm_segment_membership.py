# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.fields import Command


class CrmSegmentMembership(models.Model):
    _inherit = "crm.segment.membership"

    def action_add_to_mailing_list(self):
        """Open the wizard adding the customers of the selected rows (of the
        heat map's drill-down) to a mailing list."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_segmentation_mass_mailing.crm_segment_mailing_list_wizard_action"
        )
        action["context"] = {
            "default_partner_ids": [Command.set(self.partner_id.ids)],
        }
        return action
