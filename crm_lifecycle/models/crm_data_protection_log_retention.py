# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmDataProtectionLog(models.Model):
    """The register also keeps the consent customers give or withdraw in the
    portal and the decisions on the retention proposals."""

    _inherit = "crm.data.protection.log"

    action = fields.Selection(
        selection_add=[
            ("consent", "Marketing consent changed by the customer"),
            ("retention_proposed", "Proposed for erasure (retention)"),
            ("retention_discarded", "Erasure proposal discarded"),
        ],
        ondelete={
            "consent": "cascade",
            "retention_proposed": "cascade",
            "retention_discarded": "cascade",
        },
    )
