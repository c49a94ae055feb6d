# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLifecycleEntryAction(models.Model):
    """With Email Marketing: customers entering a stage or a segment can be
    subscribed to a mailing list (consent and blacklist respected)."""

    _inherit = "crm.lifecycle.entry.action"

    action_type = fields.Selection(
        selection_add=[("mailing_list", "Add to a mailing list")],
        ondelete={"mailing_list": "cascade"},
    )
    mailing_list_id = fields.Many2one("mailing.list", ondelete="cascade")

    def _entry_missing_configuration(self):
        if self.action_type == "mailing_list" and not self.mailing_list_id:
            return self._fields["mailing_list_id"]._description_string(self.env)
        return super()._entry_missing_configuration()

    def _entry_run_mailing_list(self, partners):
        """Subscribe the customers in one batch (the wizard's set-based
        subscription); those without address, consent or whose address is
        blacklisted are reported. An address that left the list is not
        subscribed again (its choice, not a failure)."""
        failures = self._entry_mail_refusals(partners)
        subscribers = partners.filtered(lambda p: p.id not in failures)
        if subscribers:
            # no "contact created" note nor follower per new mailing contact
            # (a nightly batch creates thousands at once)
            self.env["crm.segment.mailing.list.wizard"].with_context(
                tracking_disable=True
            )._subscribe(self.mailing_list_id, subscribers)
        return failures
