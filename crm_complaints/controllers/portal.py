# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# kinds a customer may choose on the portal form
PORTAL_KINDS = ("complaint", "claim", "request", "suggestion", "question")
# control characters a browser never sends in a text field (PostgreSQL refuses
# NUL in text): removed from what the customer typed
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value):
    return CONTROL_CHARS.sub("", value if isinstance(value, str) else "").strip()


def _clean_token(access_token):
    """A token is ASCII (core's constant-time comparison fails on anything
    else): whatever else is sent is no token at all."""
    if isinstance(access_token, str) and access_token.isascii():
        return access_token
    return None


class ComplaintCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        partner = request.env.user.partner_id
        if "complaint_count" in counters:
            Complaint = request.env["crm.complaint"]
            values["complaint_count"] = (
                Complaint.search_count(self._prepare_complaints_domain(partner))
                if Complaint.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------
    # DOMAINS AND CHOICES (the customer's own documents)
    # ------------------------------------------------------------

    def _prepare_complaints_domain(self, partner):
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    def _prepare_deliveries_domain(self, partner):
        return [
            ("partner_id", "child_of", partner.commercial_partner_id.id),
            ("picking_type_code", "=", "outgoing"),
            ("state", "!=", "cancel"),
        ]

    def _complaint_document_choices(self, partner):
        """The orders, invoices and deliveries a customer may file a complaint
        about: their commercial entity's, read with sudo (portal users have no
        access to deliveries)."""
        customer = partner.commercial_partner_id
        env = request.env
        orders = (
            env["sale.order"]
            .sudo()
            .search(
                [("partner_id", "child_of", customer.id), ("state", "=", "sale")],
                order="date_order desc",
                limit=100,
            )
        )
        invoices = (
            env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ],
                order="invoice_date desc, id desc",
                limit=100,
            )
        )
        deliveries = (
            env["stock.picking"]
            .sudo()
            .search(
                self._prepare_deliveries_domain(partner),
                order="scheduled_date desc, id desc",
                limit=100,
            )
        )
        return orders, invoices, deliveries

    # ------------------------------------------------------------
    # LIST
    # ------------------------------------------------------------

    def _complaint_searchbar_sortings(self):
        labels = {
            "date": request.env._("Newest"),
            "name": request.env._("Reference"),
            "stage": request.env._("Stage"),
        }
        orders = {
            "date": "date_open desc, id desc",
            "name": "name desc",
            "stage": "stage_id, id desc",
        }
        return {
            key: {"label": labels[key], "order": order} for key, order in orders.items()
        }

    def _complaint_searchbar_filters(self):
        labels = {
            "all": request.env._("All"),
            "open": request.env._("Open"),
            "closed": request.env._("Closed"),
        }
        domains = {
            "all": [],
            "open": [("is_closed", "=", False)],
            "closed": [("is_closed", "=", True)],
        }
        return {
            key: {"label": labels[key], "domain": domain}
            for key, domain in domains.items()
        }

    # read only (a read replica may serve it): the list links to each
    # complaint without minting access tokens (its customer is logged in)
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Complaint = request.env["crm.complaint"]
        partner = request.env.user.partner_id
        sortings = self._complaint_searchbar_sortings()
        filters = self._complaint_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._prepare_complaints_domain(partner) + filters[filterby]["domain"]
        readable = Complaint.has_access("read")
        count = Complaint.search_count(domain) if readable else 0
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        complaints = (
            Complaint.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if readable
            else Complaint
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("crm_complaints.portal_my_complaints", values)

    # ------------------------------------------------------------
    # DETAIL AND CLOSE
    # ------------------------------------------------------------

    def _complaint_check_access(self, complaint_id, access_token):
        """The complaint (with sudo) if the visitor may see it, as its customer
        or with its access token, else None; and the token, cleaned."""
        access_token = _clean_token(access_token)
        try:
            complaint_sudo = self._document_check_access(
                "crm.complaint", complaint_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None, access_token
        return complaint_sudo, access_token

    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        complaint_sudo, access_token = self._complaint_check_access(
            complaint_id, access_token
        )
        if not complaint_sudo:
            return request.redirect("/my")
        values = {
            "complaint": complaint_sudo,
            "page_name": "complaint",
            "closed": kw.get("closed"),
            # just filed (or filed again: the same request, not a new one)
            "filed": kw.get("filed") if kw.get("filed") in ("new", "again") else None,
        }
        values = self._get_page_view_values(
            complaint_sudo,
            access_token,
            values,
            "my_complaints_history",
            False,
            **kw,
        )
        return request.render("crm_complaints.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/close"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_close_complaint(self, complaint_id, access_token=None, **kw):
        complaint_sudo, access_token = self._complaint_check_access(
            complaint_id, access_token
        )
        if not complaint_sudo:
            return request.redirect("/my")
        if complaint_sudo.can_portal_close:
            author = (
                request.env.user.partner_id
                if not request.env.user._is_public()
                else complaint_sudo.partner_id
            )
            complaint_sudo.action_close()
            complaint_sudo.message_post(
                body=request.env._("Closed by the customer."),
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        query = "?closed=1"
        if access_token:
            query += f"&access_token={access_token}"
        return request.redirect(f"/my/complaints/{complaint_sudo.id}{query}")

    # ------------------------------------------------------------
    # NEW
    # ------------------------------------------------------------

    def _complaint_form_values(self, partner, form=None, errors=None):
        orders, invoices, deliveries = self._complaint_document_choices(partner)
        categories = request.env["crm.complaint.category"].sudo().search([])
        kinds = dict(
            request.env["crm.complaint"]
            ._fields["kind"]
            ._description_selection(request.env)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_new",
                "orders": orders,
                "invoices": invoices,
                "deliveries": deliveries,
                "categories": categories,
                "kinds": [(key, kinds[key]) for key in PORTAL_KINDS],
                "form": form or {},
                "errors": errors or {},
                "subject_size": request.env["crm.complaint"]._portal_subject_size,
                "attachment_count": (
                    request.env["crm.complaint"]._portal_attachment_count
                ),
                "attachment_size_mb": (
                    request.env["crm.complaint"]._portal_attachment_size // 2**20
                ),
                "description_size": (
                    request.env["crm.complaint"]._portal_description_size
                ),
            }
        )
        return values

    @staticmethod
    def _to_id(value):
        try:
            return int(value) if value else False
        except (TypeError, ValueError):
            return None

    def _complaint_validate_form(self, partner, form):
        """Check the posted form on the server: required fields, known choices,
        and documents that belong to the customer's commercial entity."""
        errors = {}
        values = {}
        subject = _clean_text(form.get("subject"))
        description = _clean_text(form.get("description"))
        if not subject:
            errors["subject"] = request.env._("Please give a subject.")
        errors.update(
            request.env["crm.complaint"]._portal_check_sizes(subject, description)
        )
        kind = form.get("kind") or "complaint"
        if kind not in PORTAL_KINDS:
            errors["kind"] = request.env._("Unknown kind of request.")
        orders, invoices, deliveries = self._complaint_document_choices(partner)
        not_yours = {
            "sale_order_id": request.env._("This order is not yours."),
            "invoice_id": request.env._("This invoice is not yours."),
            "picking_id": request.env._("This delivery is not yours."),
        }
        allowed = {
            "sale_order_id": orders,
            "invoice_id": invoices,
            "picking_id": deliveries,
        }
        for fname, documents in allowed.items():
            record_id = self._to_id(form.get(fname))
            if record_id is None or (record_id and record_id not in documents.ids):
                errors[fname] = not_yours[fname]
            elif record_id:
                values[fname] = record_id
        category_id = self._to_id(form.get("category_id"))
        if category_id:
            category = request.env["crm.complaint.category"].sudo().browse(category_id)
            if not category.exists():
                errors["category_id"] = request.env._("Unknown category.")
            else:
                values["category_id"] = category_id
        elif category_id is None:
            errors["category_id"] = request.env._("Unknown category.")
        values.update(
            {
                "subject": subject,
                "kind": kind,
                "description": plaintext2html(description),
                "partner_id": partner.id,
                "channel": "portal",
            }
        )
        return values, errors

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_new_complaint(self, **kw):
        partner = request.env.user.partner_id
        form = {
            key: kw[key]
            for key in ("sale_order_id", "invoice_id", "picking_id")
            if key in kw
        }
        return request.render(
            "crm_complaints.portal_complaint_new",
            self._complaint_form_values(partner, form=form),
        )

    def _complaint_read_files(self):
        """The files sent with the form, as (name, content): one more than the
        number allowed at most (enough to refuse them), each read up to one
        byte beyond the size allowed (enough to refuse it, never more)."""
        Complaint = request.env["crm.complaint"]
        limit = Complaint._portal_attachment_size
        storages = [
            storage
            for storage in request.httprequest.files.getlist("attachments")
            if storage.filename
        ]
        return [
            (storage.filename, storage.read(limit + 1))
            for storage in storages[: Complaint._portal_attachment_count + 1]
        ]

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_submit_complaint(self, **form):
        partner = request.env.user.partner_id
        form.pop("attachments", None)
        values, errors = self._complaint_validate_form(partner, form)
        files = self._complaint_read_files()
        errors.update(request.env["crm.complaint"]._portal_check_attachments(files))
        if errors:
            return request.render(
                "crm_complaints.portal_complaint_new",
                self._complaint_form_values(partner, form=form, errors=errors),
            )
        Complaint = request.env["crm.complaint"].sudo()
        # the form sent twice (a double tap, a reload): the same request
        duplicate = Complaint._portal_duplicate(values)
        if duplicate:
            duplicate._portal_attach_files(partner, files)
            return request.redirect(
                duplicate.get_portal_url(query_string="&filed=again")
            )
        company = request.env["crm.complaint"]._complaint_company_for(values)
        if Complaint._portal_rate_exceeded(partner, company):
            # nothing typed is lost: the form comes back with it
            errors["form"] = request.env._(
                "You have filed many requests in the last hour. Please wait a "
                "little before sending this one, or add it to one of your open "
                "requests."
            )
            return request.render(
                "crm_complaints.portal_complaint_new",
                self._complaint_form_values(partner, form=form, errors=errors),
            )
        complaint = Complaint.with_company(company).create(
            dict(values, company_id=company.id)
        )
        complaint._portal_attach_files(partner, files)
        return request.redirect(complaint.get_portal_url(query_string="&filed=new"))
