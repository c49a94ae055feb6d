# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.fields import Command
from odoo.tests import TransactionCase


class SegmentMatrixCommon(TransactionCase):
    """A matrix Region x everyone whose cell "Spain / All" takes the customers
    of Spain."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage = cls.env["crm.lifecycle.stage"].search(
            [("kind", "=", "customer")], limit=1
        )
        Dimension = cls.env["crm.segment.dimension"]
        region = Dimension.create(
            {
                "name": "Region",
                "level_ids": [
                    Command.create(
                        {"name": "Spain", "domain": "[('country_id.code', '=', 'ES')]"}
                    )
                ],
            }
        )
        everyone = Dimension.create(
            {"name": "Everyone", "level_ids": [Command.create({"name": "All"})]}
        )
        cls.matrix = cls.env["crm.segment.matrix"].create(
            {
                "name": "Region x everyone",
                "row_dimension_id": region.id,
                "col_dimension_id": everyone.id,
            }
        )
        cls.matrix.action_generate_cells()
        cls.cell = cls.matrix.cell_ids.filtered(
            lambda c: c.row_level_id.name == "Spain" and c.col_level_id.name == "All"
        )


class SegmentAudienceCommon(SegmentMatrixCommon):
    """Customers of Spain in a segment (a company with a contact person, one
    who refused marketing), one of France, and a mailing to the segment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spain = cls.env.ref("base.es")
        Partner = cls.env["res.partner"]
        cls.company = Partner.create(
            {
                "name": "Madrid Chairs",
                "is_company": True,
                "email": "info@madrid.example.com",
                "country_id": spain.id,
                "lifecycle_stage_id": cls.stage.id,
            }
        )
        cls.person = Partner.create(
            {
                "name": "Ana Buyer",
                "parent_id": cls.company.id,
                "email": "ana@madrid.example.com",
            }
        )
        cls.refused = Partner.create(
            {
                "name": "Refused",
                "is_company": True,
                "email": "refused@example.com",
                "country_id": spain.id,
                "lifecycle_stage_id": cls.stage.id,
            }
        )
        cls.refused.lifecycle_marketing_consent = "refused"
        cls.other = Partner.create(
            {
                "name": "Paris Desks",
                "is_company": True,
                "email": "info@paris.example.com",
                "country_id": cls.env.ref("base.fr").id,
                "lifecycle_stage_id": cls.stage.id,
            }
        )
        cls.matrix._recompute()
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "mailing_model_id": cls.env.ref("base.model_res_partner").id,
                "body_html": "<p>Hello</p>",
                "segment_cell_ids": [Command.set(cls.cell.ids)],
            }
        )
