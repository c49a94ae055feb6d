# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns of a complaint through the OCA RMA: created prefilled from the
delivery or the lot the complaint is about, followed on the complaint."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_amount, is_html_empty

# RMA states where the return has reached its end (cancelled RMAs do not count)
RMA_DONE_STATES = ("refunded", "returned", "replaced", "finished", "locked")


class CrmComplaint(models.Model):
    _inherit = "crm.complaint"

    rma_ids = fields.One2many(
        "rma", "complaint_id", string="RMAs", groups="base.group_user"
    )
    rma_count = fields.Integer(
        string="Number of RMAs",
        compute="_compute_rma_count",
        compute_sudo=True,
        groups="base.group_user",
    )
    rma_resolves = fields.Boolean(
        string="RMAs Resolve the Complaint",
        default=True,
        groups="base.group_user",
        help="Move the complaint to its resolution stage when all its RMAs "
        "(cancelled ones aside) are refunded, returned, replaced or finished.",
    )

    @api.depends("rma_ids")
    def _compute_rma_count(self):
        groups = self.env["rma"]._read_group(
            [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
        )
        counts = {complaint.id: count for complaint, count in groups}
        for complaint in self:
            complaint.rma_count = counts.get(complaint.id, 0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_create_rma(self):
        """Create the RMAs of the complaint, one per product delivered (the
        complaint's product or lot only, when it names one), in draft for the
        RMA user to choose the operation and confirm; then open them."""
        self.ensure_one()
        if self.is_closed:
            raise UserError(self.env._("The complaint is closed."))
        vals_list = self._complaint_rma_values()
        if not vals_list:
            raise UserError(
                self.env._(
                    "Nothing to return: set a delivery that is done, or a product "
                    "or a lot the customer received, on the complaint first."
                )
            )
        rmas = self.env["rma"].create(vals_list)
        self.message_post(
            body=self.env._(
                "RMA created: %(rmas)s",
                rmas=Markup(", ").join(rma._get_html_link() for rma in rmas),
            )
        )
        return self._complaint_rma_action(rmas)

    def action_view_rmas(self):
        self.ensure_one()
        return self._complaint_rma_action(self.rma_ids)

    def _complaint_rma_action(self, rmas):
        action = self.env["ir.actions.act_window"]._for_xml_id("rma.rma_action")
        action["context"] = {"default_complaint_id": self.id}
        if len(rmas) == 1:
            action.update(views=[(False, "form")], res_id=rmas.id)
        else:
            action["domain"] = [("id", "in", rmas.ids)]
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _complaint_rma_moves(self):
        """The delivered moves the complaint is about: those of its delivery,
        else the customer's last delivery of its lot; only its product's or
        lot's when it names one."""
        self.ensure_one()
        picking = self.picking_id
        if not picking and self.lot_id:
            line = self.env["stock.move.line"].search(
                Domain("lot_id", "=", self.lot_id.id)
                & Domain("state", "=", "done")
                & Domain("picking_code", "=", "outgoing")
                & Domain(
                    "picking_partner_id",
                    "child_of",
                    self.commercial_partner_id.id,
                ),
                order="date desc, id desc",
                limit=1,
            )
            picking = line.picking_id
        if not picking or picking.state != "done":
            return self.env["stock.move"]
        moves = picking.move_ids.filtered(lambda m: m.state == "done" and m.quantity)
        if self.lot_id:
            moves = moves.filtered(lambda m: self.lot_id in m.move_line_ids.lot_id)
        elif self.product_id:
            moves = moves.filtered(lambda m: m.product_id == self.product_id)
        return moves

    def _complaint_rma_values(self):
        self.ensure_one()
        common = {
            "complaint_id": self.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "description": self.description,
        }
        moves = self._complaint_rma_moves()
        vals_list = []
        for move in moves:
            quantity = move.quantity
            if self.lot_id:
                quantity = sum(
                    line.quantity
                    for line in move.move_line_ids
                    if line.lot_id == self.lot_id
                )
            vals_list.append(
                dict(
                    common,
                    picking_id=move.picking_id.id,
                    move_id=move.id,
                    product_id=move.product_id.id,
                    product_uom_qty=quantity,
                    product_uom=move.product_uom.id,
                )
            )
        if not vals_list and self.product_id:
            # a product without its delivery (a lot not found, a sale...)
            vals_list.append(
                dict(
                    common,
                    product_id=self.product_id.id,
                    product_uom_qty=1.0,
                    product_uom=self.product_id.uom_id.id,
                )
            )
        if self.lot_id:
            for vals in vals_list:
                vals["origin"] = self.env._(
                    "%(complaint)s (lot %(lot)s)",
                    complaint=self.name,
                    lot=self.lot_id.name,
                )
        return vals_list

    def _complaint_rma_progress(self):
        """When all the RMAs of a complaint (cancelled ones aside) reached
        their end, say so, write the resolution the customer reads when none
        is written, and move the open complaint to its resolution stage."""
        for complaint in self.sudo().filtered(
            lambda c: c.rma_resolves and not c.is_closed
        ):
            rmas = complaint.rma_ids.filtered(lambda r: r.state != "cancelled")
            if not rmas or any(r.state not in RMA_DONE_STATES for r in rmas):
                continue
            lang = complaint.partner_id.lang or self.env.lang
            env = complaint.with_context(lang=lang).env
            states = dict(rmas._fields["state"]._description_selection(env))
            lines = []
            for rma in rmas:
                line = env._(
                    "%(rma)s, %(product)s: %(state)s",
                    rma=rma.name,
                    product=rma.product_id.display_name,
                    state=states[rma.state],
                )
                if rma.refund_id:
                    line += " " + env._(
                        "(credit note of %(amount)s)",
                        amount=format_amount(
                            env,
                            abs(rma.refund_id.amount_total),
                            rma.refund_id.currency_id,
                        ),
                    )
                lines.append(line)
            summary = Markup("<br/>").join(lines)
            complaint.message_post(
                body=Markup("%s<br/>%s")
                % (self.env._("The returns of this complaint are done:"), summary)
            )
            if is_html_empty(complaint.resolution):
                complaint.resolution = Markup("<p>%s</p>") % summary
            stage = complaint._resolution_stage()
            if stage:
                complaint.stage_id = stage
