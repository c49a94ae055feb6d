# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo a newcomer opens (issue 22): every demo complaint's documents are
its company's (the demo has a second company with the same customers), the
demo billing complaint credits what was claimed without an access error, and
the demo data and the chatter read as Spanish in a Spanish interface (with the
feminine "Reclamación"). The demo checks only run on a database with the demo
data (`make run`), as Odoo 19 tests run without it by default."""

import unittest

from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCommon

DEMO_XMLIDS = {
    "crm_complaints.crm_complaint_category_product_demo": "Producto",
    "crm_complaints.crm_complaint_category_billing_demo": "Facturación",
    "crm_complaints.crm_complaint_category_damaged_demo": "Dañado",
    "crm_complaints.crm_complaint_sla_policy_standard_demo": "Estándar",
    "crm_complaints.crm_complaint_sla_policy_high_demo": "Prioridad alta",
    "crm_complaints.crm_complaint_team_after_sales_demo": "Servicio posventa",
    "crm_complaints.crm_complaint_team_key_accounts_demo": "Atención a grandes cuentas",
    "crm_complaints.stage_waiting": "Esperando al cliente",
    "crm_complaints.stage_resolved": "Resuelta",
}


class SpanishCommon(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(
            ["crm_complaints"], ["es_ES"], overwrite=True
        )


@tagged("post_install", "-at_install")
class TestComplaintSpanish(SpanishCommon):
    def test_creation_message_agrees_with_reclamacion(self):
        Complaint = self.env["crm.complaint"].with_context(lang="es_ES")
        complaint = Complaint.create(
            {"subject": "Silla rota", "partner_id": self.customer_a.id}
        )
        first = complaint.message_ids.sorted("id")[:1]
        self.assertIn("Reclamación creada", first.body)
        self.assertNotIn("creado", first.body)
        question = Complaint.create(
            {"subject": "¿Montaje?", "kind": "question", "partner_id": False}
        )
        self.assertIn("Pregunta creada", question.message_ids.sorted("id")[:1].body)

    def test_new_is_translated(self):
        form = Form(self.env["crm.complaint"].with_context(lang="es_ES"))
        self.assertNotEqual(form.name, "/")


@tagged("post_install", "-at_install")
class TestComplaintDemo(SpanishCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_invoice_complaint = cls.env.ref(
            "crm_complaints.crm_complaint_invoice_demo", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.demo_invoice_complaint:
            raise unittest.SkipTest("no demo data in this database")

    def test_demo_documents_belong_to_the_complaints_company(self):
        demo = self.env["ir.model.data"].search(
            [("module", "=", "crm_complaints"), ("model", "=", "crm.complaint")]
        )
        complaints = self.env["crm.complaint"].browse(demo.mapped("res_id"))
        self.assertTrue(complaints)
        for complaint in complaints:
            for document in (
                complaint.sale_order_id,
                complaint.invoice_id,
                complaint.picking_id,
            ):
                if document:
                    self.assertEqual(
                        document.company_id,
                        complaint.company_id,
                        f"{complaint.name}: {document.display_name}",
                    )

    def test_demo_billing_complaint_credit_note(self):
        complaint = self.demo_invoice_complaint
        self.assertEqual(complaint.stage_id, self.stage_waiting)
        # waiting on the customer: paused, not breached
        self.assertEqual(complaint.sla_status, "paused")
        agent = new_test_user(
            self.env,
            "cmp_demo_agent",
            groups="crm_complaints.group_complaint_user,account.group_account_invoice",
            company_id=complaint.company_id.id,
            company_ids=[complaint.company_id.id],
        )
        complaint.team_id.member_ids |= agent
        action = complaint.with_user(agent).action_credit_note()
        wizard = Form(
            self.env["account.move.reversal"]
            .with_user(agent)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(wizard.complaint_refund_amount, complaint.amount_claimed)
        note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertAlmostEqual(note.amount_total, complaint.amount_claimed, delta=0.01)
        self.assertAlmostEqual(
            complaint.amount_granted, complaint.amount_claimed, delta=0.01
        )
        self.assertEqual(complaint.stage_id, self.stage_resolved)

    def test_demo_data_in_spanish(self):
        for xmlid, spanish in DEMO_XMLIDS.items():
            record = self.env.ref(xmlid).with_context(lang="es_ES")
            self.assertEqual(record.name, spanish, xmlid)
