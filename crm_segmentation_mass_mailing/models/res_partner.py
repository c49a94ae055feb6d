# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _lifecycle_erase_traces(self, people, identities):
        """An erasure request also removes the people from the mailing lists
        (their mailing contacts) and their addresses from the mailing traces."""
        lines = super()._lifecycle_erase_traces(people, identities)
        emails = sorted(identities["emails"])
        if not emails:
            return lines
        contacts = (
            self.env["mailing.contact"]
            .sudo()
            .with_context(active_test=False)
            .search([("email_normalized", "in", emails)])
        )
        contacts.unlink()
        self.env["mailing.trace"].sudo().search([("email", "in", emails)]).write(
            {"email": False}
        )
        lines.append(
            self.env._("mailing contacts removed: %(count)s", count=len(contacts))
        )
        return lines
