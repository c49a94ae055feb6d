# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the marketing manager meets around a matrix (issue 22): the heat map's
drill-down opens customers and acts on them, Reporting > Segment Matrix shows
one matrix at a time, the screens of a matrix are named after what they show,
a recompute says what it did, generated names exist in every language."""

from lxml import etree

from odoo.tests import new_test_user, tagged

from .common import SegmentationCommon


@tagged("post_install", "-at_install")
class TestCrmSegmentDrillDown(SegmentationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spain = cls.env.ref("base.es")
        cls.alpha, cls.bravo, cls.charlie = cls._customers(
            ["Alpha", "Bravo", "Charlie"], country_id=spain.id
        )
        cls._invoices(
            [(cls.alpha, 10, 500.0), (cls.bravo, 20, 400.0), (cls.charlie, 30, 50.0)]
        )
        cls.value = cls._metric_dimension(
            "Value", "monetary", "threshold", [("Low", 0.0), ("High", 300.0)]
        )
        cls.region = cls._rule_dimension(
            "Region", [("Spain", "[('country_id.code', '=', 'ES')]")]
        )
        cls.matrix = cls.Matrix.create(
            {
                "name": "Region x value",
                "sequence": 20,
                "row_dimension_id": cls.region.id,
                "col_dimension_id": cls.value.id,
            }
        )
        cls.other_matrix = cls.Matrix.create(
            {
                "name": "Value x region",
                "sequence": 30,
                "row_dimension_id": cls.value.id,
                "col_dimension_id": cls.region.id,
            }
        )
        cls.Partner._rfm_compute(cls.company)
        (cls.matrix + cls.other_matrix).action_recompute()
        cls.marketer = new_test_user(
            cls.env,
            "seg_drill_marketer",
            groups="crm_segmentation.group_segmentation_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.high = cls.matrix.cell_ids.filtered(
            lambda cell: cell.row_level_id.name == "Spain"
            and cell.col_level_id.name == "High"
        )

    def _view_arch(self, view_id, view_type):
        views = self.env["crm.segment.membership"].get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_heat_map_rows_open_the_customer(self):
        """The drill-down list of the heat map is not edited inline: a row
        opens the customer; the selection takes an activity."""
        action = self.matrix.with_user(self.marketer).action_view_cell(self.high.id)
        views = dict((view_type, view_id) for view_id, view_type in action["views"])
        customers_list = self.env.ref(
            "crm_segmentation.crm_segment_membership_view_list_customers"
        )
        self.assertEqual(views["list"], customers_list.id)
        arch = self._view_arch(views["list"], "list")
        self.assertFalse(arch.get("editable"))
        self.assertEqual(arch.get("action"), "action_open_customer")
        self.assertEqual(arch.get("type"), "object")
        self.assertTrue(
            arch.xpath("//header/button[@name='action_segment_schedule_activity']")
        )
        # the row of Alpha opens Alpha's form
        membership = self._membership(self.matrix, self.alpha).with_user(self.marketer)
        opened = membership.action_open_customer()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]), ("res.partner", self.alpha.id)
        )
        self.assertEqual(opened["views"], [(False, "form")])
        # the kanban (phones) opens the customer too
        kanban = self._view_arch(False, "kanban")
        self.assertEqual(kanban.get("action"), "action_open_customer")

    def test_schedule_an_activity_on_the_cell_customers(self):
        """The selected rows of the drill-down get an activity each, on the
        customer (the mail wizard in batch mode, really run)."""
        memberships = self.Membership.with_user(self.marketer).search(
            [("cell_id", "=", self.high.id)]
        )
        self.assertEqual(memberships.partner_id, self.alpha + self.bravo)
        action = memberships.action_segment_schedule_activity()
        self.assertEqual(action["res_model"], "mail.activity.schedule")
        wizard = (
            self.env["mail.activity.schedule"]
            .with_user(self.marketer)
            .with_context(**action["context"])
            .create(
                {
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "summary": "Spring offer",
                }
            )
        )
        wizard.action_schedule_activities()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("summary", "=", "Spring offer")]
        )
        self.assertEqual(
            set(activities.mapped("res_id")), set((self.alpha + self.bravo).ids)
        )

    def test_report_shows_one_matrix_at_a_time(self):
        """Reporting > Segment Matrix: every customer is in both matrices, so
        both together would count each twice; the report opens on the first
        matrix (a side panel of matrices switches), its drill-down opens
        customers."""
        self.assertEqual(self.matrix.customer_count, 3)
        self.assertEqual(self.other_matrix.customer_count, 3)
        menu = self.env.ref("crm_segmentation.crm_segment_membership_menu")
        self.assertEqual(
            menu.action,
            self.env.ref("crm_segmentation.crm_segment_membership_action_report"),
        )
        action = (
            self.env["crm.segment.matrix"].with_user(self.marketer).action_view_report()
        )
        first = self.Matrix.with_user(self.marketer).search([], limit=1)
        self.assertEqual(action["context"]["searchpanel_default_matrix_id"], first.id)
        search = etree.fromstring(
            self.env["crm.segment.membership"].get_views(
                [(action["search_view_id"][0], "search")]
            )["views"]["search"]["arch"]
        )
        panel = search.xpath("//searchpanel")
        self.assertTrue(panel)
        self.assertIn("pivot", panel[0].get("view_types"))
        self.assertTrue(panel[0].xpath("field[@name='matrix_id']"))
        views = dict((view_type, view_id) for view_id, view_type in action["views"])
        self.assertEqual(
            views["list"],
            self.env.ref(
                "crm_segmentation.crm_segment_membership_view_list_customers"
            ).id,
        )
        # what the chosen matrix counts: its customers, once each
        count = self.Membership.search_count([("matrix_id", "=", self.matrix.id)])
        self.assertEqual(count, self.matrix.customer_count)

    def test_matrix_screens_are_named_after_what_they_show(self):
        """The breadcrumb of the matrix's form followed by one of its screens
        does not read the matrix twice; the heat map has no side panel."""
        matrix = self.matrix.with_user(self.marketer)
        names = {
            method: getattr(matrix, method)()["display_name"]
            for method in (
                "action_view_cells",
                "action_view_memberships",
                "action_view_heat_map",
                "action_view_history",
            )
        }
        self.assertEqual(
            names,
            {
                "action_view_cells": "Segments: Region x value",
                "action_view_memberships": "Customers: Region x value",
                "action_view_heat_map": "Heat Map: Region x value",
                "action_view_history": "Migration: Region x value",
            },
        )
        # a cell of the heat map: its customers, without side panel
        cell = matrix.action_view_cell(self.high.id)
        self.assertEqual(cell["display_name"], "Spain / High")
        search = self.env.ref("crm_segmentation.crm_segment_membership_view_search")
        self.assertEqual(cell["search_view_id"][0], search.id)
        # the matrix's own customers: the editable list (a segment set by hand)
        memberships = matrix.action_view_memberships()
        self.assertTrue(all(view_id is False for view_id, _t in memberships["views"]))

    def test_recompute_says_what_it_did(self):
        self.bravo.country_id = self.env.ref("base.fr")
        action = self.matrix.with_user(self.marketer).action_recompute()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        # Bravo left Spain for the no-data row
        self.assertEqual(
            action["params"]["message"],
            "Region x value: 3 customers placed, 1 moved to another segment, "
            "0 left the matrix.",
        )

    def test_generated_names_in_every_language(self):
        """The no-data level and the cells a matrix generates are named in
        every language of the database, not only in the creator's."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(["crm_segmentation"], ["es_ES"])
        size = self._metric_dimension("Size", "frequency", "threshold", [("Few", 0.0)])
        matrix = self.Matrix.create(
            {
                "name": "Region x size",
                "row_dimension_id": self.region.id,
                "col_dimension_id": size.id,
            }
        )
        matrix.action_generate_cells()
        no_data = size.no_data_level_id
        self.assertEqual(no_data.name, "No data")
        self.assertEqual(no_data.with_context(lang="es_ES").name, "Sin datos")
        cell = matrix.cell_ids.filtered(
            lambda c: c.col_level_id == no_data and c.row_level_id.name == "Spain"
        )
        self.assertEqual(cell.name, "Spain / No data")
        self.assertEqual(cell.with_context(lang="es_ES").name, "Spain / Sin datos")
