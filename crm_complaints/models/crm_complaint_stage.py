# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmComplaintStage(models.Model):
    _name = "crm.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded in the kanban view when it holds no complaint.",
    )
    is_closed = fields.Boolean(
        string="Closed Stage",
        help="Complaints in this stage are finished: the close date is set, the "
        "resolution target is met or breached, and a disputed invoice is released.",
    )
    is_paused = fields.Boolean(
        string="Pauses the SLA",
        help="The SLA clock stops while a complaint is in this stage (e.g. waiting "
        "on the customer); its deadlines move by the paused working time.",
    )
    is_customer_close = fields.Boolean(
        string="Customer Closing Stage",
        help="When a customer closes a complaint from the portal, it moves to the "
        "first stage with this flag.",
    )
    allow_portal_close = fields.Boolean(
        string="Customer May Close",
        help="The customer may close a complaint in this stage from the portal.",
    )
    rating_request = fields.Boolean(
        string="Request Rating",
        help="Ask the customer for a satisfaction rating when a complaint enters "
        "this closed stage (once per complaint).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain=[("model", "=", "crm.complaint")],
        help="Sent to the customer when a complaint enters this stage.",
    )
