# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.fields import Domain


class MailingMailing(models.Model):
    """A mailing to contacts can target the customers of segments and
    lifecycle stages, resolved when it is sent (not a copy made before): a
    customer that entered or left a segment since the mailing was prepared is
    written to, or not, accordingly. One domain, one search at send time."""

    _inherit = "mailing.mailing"

    segment_cell_ids = fields.Many2many(
        "crm.segment.cell",
        string="Segments",
        help="Only the customers in these segments when the mailing is sent.",
    )
    segment_lifecycle_stage_ids = fields.Many2many(
        "crm.lifecycle.stage",
        string="Lifecycle Stages",
        help="Only the customers in these lifecycle stages when the mailing is sent.",
    )
    segment_company_id = fields.Many2one(
        "res.company",
        string="Stages Of",
        default=lambda self: self.env.company,
        help="The company whose lifecycle stages select the customers: a "
        "customer shared by the companies has a stage in each of them.",
    )
    segment_include_contacts = fields.Boolean(
        string="Write to Their Contacts",
        help="Also write to the contacts (the people) of the company customers of "
        "the audience, not only to the companies.",
    )

    def _segment_audience_domain(self):
        """The recipients the segments and stages select (TRUE: no audience
        set). Customers whose marketing consent was refused or withdrawn are
        left out; blacklisted addresses are left out by the mailing itself."""
        self.ensure_one()
        if self.mailing_model_real != "res.partner" or not (
            self.segment_cell_ids or self.segment_lifecycle_stage_ids
        ):
            return Domain.TRUE
        customers = Domain.TRUE
        if self.segment_cell_ids:
            customers &= Domain(
                "segment_membership_ids.cell_id", "in", self.segment_cell_ids.ids
            )
        if self.segment_lifecycle_stage_ids:
            customers &= Domain(
                "lifecycle_stage_id", "in", self.segment_lifecycle_stage_ids.ids
            )
        # the stages of the mailing's company, whoever sends it (the mail
        # queue runs as another user, in another company): the customers'
        # query is made here, for that company
        company = self.segment_company_id or self.env.company
        Partner = self.env["res.partner"].with_company(company)
        customers = Partner._search(customers, active_test=False)
        audience = Domain("commercial_partner_id", "any", customers)
        if not self.segment_include_contacts:
            audience &= Domain("parent_id", "=", False)
        return audience & ~self.env["res.partner"]._lifecycle_no_marketing_domain()

    def _get_recipients_domain(self):
        return super()._get_recipients_domain() & self._segment_audience_domain()
