# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import models


class CrmComplaint(models.Model):
    """A customer's satisfaction rating of a complaint is a contact: it lands in
    the customer's timeline (type Survey, channel Customer portal: the customer
    rates from the link of the e-mail or the portal), once per complaint; a
    changed rating updates it."""

    _inherit = "crm.complaint"

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rating.res_model == self._name:
            self.browse(rating.res_id)._complaint_log_rating(rating)
        return rating

    def _complaint_log_rating(self, rating):
        self.ensure_one()
        if not self.partner_id:
            return
        name = self.env._(
            "Rated complaint %(ref)s: %(rate)s/5",
            ref=self.name,
            rate=int(rating.rating),
        )
        description = (
            Markup("<p>%s</p>") % rating.feedback if rating.feedback else False
        )
        Interaction = self.env["crm.interaction"].sudo()
        logged = Interaction.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("interaction_type", "=", "survey"),
                ("is_automatic", "=", True),
            ]
        )
        if logged:
            logged.write({"name": name, "description": description})
            return
        Interaction._log_documents(
            self,
            "survey",
            name=lambda complaint: name,
            partner_field="partner_id",
            user_field="user_id",
            direction="inbound",
            values=lambda complaint: {
                "channel": "portal",
                "description": description,
                # a survey about a complaint is customer service's
                "department": "service",
            },
        )
