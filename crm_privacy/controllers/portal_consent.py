# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ConsentPortal(CustomerPortal):
    """My Account > Marketing e-mails: the customer gives or withdraws its own
    marketing consent. The page shows the consent and its date, nothing of
    what the company thinks of the customer."""

    def _lifecycle_consent_values(self, partner, **extra):
        partner = partner.sudo()
        consent = partner.lifecycle_marketing_consent
        return {
            "page_name": "marketing_consent",
            "consent_given": consent == "granted",
            "consent_label": dict(
                partner._fields["lifecycle_marketing_consent"]._description_selection(
                    request.env
                )
            )[consent],
            "consent_date": partner.lifecycle_consent_date,
            "consent_email": partner.email,
            **extra,
        }

    @http.route("/my/consent", type="http", auth="user", website=True)
    def portal_my_consent(self, **kw):
        partner = request.env.user.partner_id
        return request.render(
            "crm_privacy.portal_my_consent",
            self._prepare_portal_layout_values()
            | self._lifecycle_consent_values(partner, saved=kw.get("saved")),
        )

    @http.route(
        "/my/consent/update", type="http", auth="user", methods=["POST"], website=True
    )
    def portal_my_consent_update(self, consent=None, partner_id=None, **kw):
        # Odoo checks the form's csrf_token before this runs (POST routes).
        # A customer changes its own consent: a form naming someone else is
        # tampered with, and refused.
        partner = request.env.user.partner_id
        if partner_id and str(partner_id) != str(partner.id):
            raise Forbidden()
        if consent not in ("give", "withdraw") or request.env.user._is_public():
            raise Forbidden()
        partner._lifecycle_portal_set_consent(consent == "give")
        return request.redirect("/my/consent?saved=1")
