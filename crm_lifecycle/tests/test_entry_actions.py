# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import LifecycleCommon


@tagged("post_install", "-at_install")
class TestEntryActions(MockEmail, LifecycleCommon):
    """Actions run when customers enter a lifecycle stage: one batch per
    action, once per entry, a failing customer reported and skipped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Action = cls.env["crm.lifecycle.entry.action"]
        cls.stage = cls.Stage.create(
            {"name": "Entry test", "code": "entry_test", "kind": "customer"}
        )
        cls.leader = cls.env["res.users"].create(
            {"name": "Lea Leader", "login": "lc_leader", "email": "lea@example.com"}
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Entry team",
                "user_id": cls.leader.id,
                "member_ids": [Command.link(cls.salesman.id)],
            }
        )
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.partner_model = cls.env.ref("base.model_res_partner")

    def _customers(self, count, **values):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Entry customer {i}",
                    "is_company": True,
                    "email": f"entry{i}@example.com",
                    "user_id": self.salesman.id,
                    **values,
                }
                for i in range(count)
            ]
        )

    def _activity_action(self, **values):
        return self.Action.create(
            {
                "name": "Call them",
                "stage_id": self.stage.id,
                "action_type": "activity",
                "activity_type_id": self.call.id,
                "activity_delay_days": 3,
                **values,
            }
        )

    def _server_action(self, code):
        return self.env["ir.actions.server"].create(
            {
                "name": "Mark entered",
                "model_id": self.partner_model.id,
                "state": "code",
                "code": code,
            }
        )

    def _logs(self, action):
        return self.env["crm.lifecycle.entry.action.log"].search(
            [("action_id", "=", action.id)]
        )

    def test_activity_for_salesperson_or_team_leader(self):
        for_salesperson = self._activity_action(activity_summary="Welcome call")
        for_leader = self._activity_action(
            name="Review", activity_user="team_leader", activity_delay_days=0
        )
        customers = self._customers(3)
        customers._lifecycle_move(self.stage)
        deadline = fields.Date.context_today(self.Action) + timedelta(days=3)
        for customer in customers:
            activities = customer.activity_ids
            self.assertEqual(len(activities), 2)
            mine = activities.filtered(lambda a: a.user_id == self.salesman)
            self.assertEqual(mine.summary, "Welcome call")
            self.assertEqual(mine.date_deadline, deadline)
            self.assertEqual(mine.activity_type_id, self.call)
            leader = activities.filtered(lambda a: a.user_id == self.leader)
            self.assertEqual(leader.summary, "Review")
        self.assertEqual(for_salesperson.done_count, 3)
        self.assertEqual(for_leader.done_count, 3)
        self.assertFalse(for_salesperson.last_error)

    def test_failing_customers_do_not_stop_the_batch(self):
        """No salesperson, an archived salesperson, no e-mail address: those
        customers are reported on the action and the others go through."""
        activity = self._activity_action()
        template = self.env.ref("crm_lifecycle.mail_template_entry_welcome")
        mail = self.Action.create(
            {
                "name": "Welcome",
                "stage_id": self.stage.id,
                "action_type": "mail",
                "mail_template_id": template.id,
            }
        )
        gone = self.env["res.users"].create({"name": "Gone", "login": "lc_gone"})
        good = self._customers(2)
        orphan = self._customers(1, user_id=False, email=False)
        archived = self._customers(1, user_id=gone.id)
        gone.active = False
        customers = good | orphan | archived
        customers._lifecycle_move(self.stage)

        self.assertEqual(good.activity_ids.user_id, self.salesman)
        self.assertFalse((orphan | archived).activity_ids)
        logs = self._logs(activity)
        self.assertEqual(
            logs.filtered(lambda log: log.state == "failed").partner_id,
            orphan | archived,
        )
        self.assertEqual(activity.failed_count, 2)
        self.assertEqual(activity.done_count, 2)
        self.assertIn("no salesperson", activity.last_error)
        self.assertIn("Gone is archived", activity.last_error)

        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", customers.ids),
                ("subject", "ilike", "welcome"),
            ]
        )
        self.assertEqual(mails.recipient_ids, good | archived)
        self.assertIn(self.env.company.name, mails[0].subject)
        failed = self._logs(mail).filtered(lambda log: log.state == "failed")
        self.assertEqual(failed.partner_id, orphan)
        self.assertEqual(failed.message, "The customer has no e-mail address.")

    def test_server_action_runs_once_on_all_customers(self):
        server = self._server_action(
            "records.write({'ref': 'ENTERED %s' % len(records)})"
        )
        self.Action.create(
            {
                "name": "Tag",
                "stage_id": self.stage.id,
                "action_type": "server_action",
                "server_action_id": server.id,
            }
        )
        customers = self._customers(4)
        customers._lifecycle_move(self.stage)
        self.assertEqual(set(customers.mapped("ref")), {"ENTERED 4"})

    def test_a_server_action_failing_for_one_customer(self):
        """The batch fails as a whole: the action runs again one customer at a
        time, so that only the failing one is reported."""
        server = self._server_action(
            "if records.filtered(lambda r: r.name.endswith('1')):\n"
            "    raise UserError('Not this one')\n"
            "records.write({'ref': 'OK'})"
        )
        action = self.Action.create(
            {
                "name": "Tag",
                "stage_id": self.stage.id,
                "action_type": "server_action",
                "server_action_id": server.id,
            }
        )
        customers = self._customers(3)
        customers._lifecycle_move(self.stage)
        self.assertEqual(customers.mapped("ref"), ["OK", False, "OK"])
        failed = self._logs(action).filtered(lambda log: log.state == "failed")
        self.assertEqual(failed.partner_id, customers[1])
        self.assertEqual(failed.message, "Not this one")
        self.assertIn("1 customer(s): Not this one", action.last_error)

    def test_never_twice_for_the_same_entry(self):
        action = self._activity_action()
        customers = self._customers(3)
        customers._lifecycle_move(self.stage)
        self.assertEqual(len(customers.activity_ids), 3)
        entries = self.env["crm.lifecycle.history"].search(
            [("partner_id", "in", customers.ids), ("stage_to_id", "=", self.stage.id)]
        )
        # the hook called again, the stage written again, the nightly job
        entries._lifecycle_entered()
        customers._lifecycle_move(self.stage)
        with self.enter_registry_test_mode():
            self.env.ref(
                "crm_lifecycle.ir_cron_lifecycle_nightly"
            ).method_direct_trigger()
        self.assertEqual(len(customers.activity_ids), 3)
        self.assertEqual(len(self._logs(action)), 3)
        # a new entry (out and back in) runs it again
        customers[0]._lifecycle_move(self.stages["at_risk"])
        customers[0]._lifecycle_move(self.stage)
        self.assertEqual(len(self._logs(action)), 4)

    def test_disabled_actions_and_installation_do_not_run(self):
        action = self._activity_action(active=False)
        customers = self._customers(2)
        customers._lifecycle_move(self.stage)
        self.assertFalse(customers.activity_ids)
        action.active = True
        others = self._customers(2)
        others.with_context(lifecycle_no_activity=True)._lifecycle_move(self.stage)
        self.assertFalse(others.activity_ids)
        self.assertFalse(self._logs(action))

    def test_configuration_is_checked(self):
        with self.assertRaises(ValidationError):
            self.Action.create(
                {"name": "No type", "stage_id": self.stage.id, "action_type": "mail"}
            )
        with self.assertRaises(ValidationError):
            self.Action.create(
                {
                    "name": "No stage",
                    "action_type": "activity",
                    "activity_type_id": self.call.id,
                }
            )

    def test_shipped_templates_are_disabled(self):
        for xmlid, code in (
            ("entry_action_welcome", "new_customer"),
            ("entry_action_winback", "at_risk"),
            ("entry_action_reactivation", "lost"),
        ):
            action = self.env.ref(f"crm_lifecycle.{xmlid}")
            self.assertFalse(action.active)
            self.assertEqual(action.stage_id.code, code)
            self.assertEqual(action.mail_template_id.model, "res.partner")

    def test_queries_do_not_grow_with_the_customers_moved(self):
        """One batch per action: an activity batch per user, the e-mails
        queued in one batch, the server action run once."""
        self._activity_action()
        self._activity_action(name="Leader", activity_user="team_leader")
        self.Action.create(
            {
                "name": "Welcome",
                "stage_id": self.stage.id,
                "action_type": "mail",
                "mail_template_id": self.env.ref(
                    "crm_lifecycle.mail_template_entry_welcome"
                ).id,
            }
        )
        self.Action.create(
            {
                "name": "Tag",
                "stage_id": self.stage.id,
                "action_type": "server_action",
                "server_action_id": self._server_action(
                    "records.write({'ref': 'IN'})"
                ).id,
            }
        )

        def run(count):
            customers = self._customers(count)
            customers.with_context(lifecycle_no_activity=True)._lifecycle_move(
                self.stage
            )
            entries = self.env["crm.lifecycle.history"].search(
                [("partner_id", "in", customers.ids)]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            entries._lifecycle_entered()
            self.env.flush_all()
            self.assertEqual(len(customers.activity_ids), 2 * count)
            return self.cr.sql_log_count - start

        run(3)  # warm the caches (templates, subtypes, defaults)
        # more than ``mail.batch_size`` (50), the chunk Odoo's
        # ``send_mail_batch`` renders and creates e-mails by
        few, many = run(5), run(60)
        self.assertEqual(few, many, "the actions must not query per customer")
        customers = self._customers(70)
        customers.with_context(lifecycle_no_activity=True)._lifecycle_move(self.stage)
        entries = self.env["crm.lifecycle.history"].search(
            [("partner_id", "in", customers.ids)]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(many):
            entries._lifecycle_entered()
            self.env.flush_all()

    def _entries(self, count):
        """``count`` new customers moved into the stage without running its
        actions; returns their entries (history rows)."""
        customers = self._customers(count)
        customers.with_context(lifecycle_no_activity=True)._lifecycle_move(self.stage)
        return self.env["crm.lifecycle.history"].search(
            [("partner_id", "in", customers.ids), ("stage_to_id", "=", self.stage.id)]
        )

    def test_mail_and_activity_actions_query_the_same_for_5_or_60(self):
        """The e-mail template rendered for all the customers at once and the
        e-mails queued in one create, the activities created in one create for
        every salesperson: as many queries for 5 customers as for 60 (more
        than the 50 e-mails Odoo renders per chunk), each customer getting
        their own e-mail, logged on their chatter."""
        self._activity_action()
        self._activity_action(name="Leader", activity_user="team_leader")
        template = self.env.ref("crm_lifecycle.mail_template_entry_welcome")
        mail = self.Action.create(
            {
                "name": "Welcome",
                "stage_id": self.stage.id,
                "action_type": "mail",
                "mail_template_id": template.id,
            }
        )
        self._entries(3)._lifecycle_entered()  # warm the caches
        few_entries, many_entries = self._entries(5), self._entries(60)

        def run(entries):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            entries._lifecycle_entered()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        few = run(few_entries)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(few):
            many_entries._lifecycle_entered()
            self.env.flush_all()

        customers = many_entries.partner_id
        self.assertEqual(len(customers.activity_ids), 120)
        self.assertEqual(mail.done_count, 68)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", customers.ids),
                ("message_type", "=", "email_outgoing"),
            ]
        )
        self.assertEqual(len(mails), 60)
        for sent in mails:
            customer = self.env["res.partner"].browse(sent.res_id)
            self.assertEqual(sent.recipient_ids, customer)
            self.assertIn(f"Hello {customer.name},", sent.body_html)
            self.assertIn(self.salesman.name, sent.body_html)
            self.assertIn(self.env.company.name, sent.subject)
            self.assertEqual(sent.email_from, self.salesman.email_formatted)
            self.assertIn(sent.mail_message_id, customer.message_ids)

    def test_mail_and_activity_actions_query_the_same_for_5_or_250(self):
        """The e-mails, their messages and recipients, the activities inserted
        with one query per table, the salesperson subscribed to the customers
        in one insert: as many queries for 5 customers as for 250
        (``create()`` inserts by 100), each customer getting their own e-mail
        and activity, followed by their salesperson."""
        self._activity_action()
        template = self.env.ref("crm_lifecycle.mail_template_entry_welcome")
        action = self.Action.create(
            {
                "name": "Welcome",
                "stage_id": self.stage.id,
                "action_type": "mail",
                "mail_template_id": template.id,
            }
        )
        self._entries(3)._lifecycle_entered()  # warm the caches
        few_entries, many_entries = self._entries(5), self._entries(250)
        # customers their salesperson does not follow yet (imported ones):
        # the followers are inserted too
        self.env["mail.followers"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", (few_entries | many_entries).partner_id.ids),
            ]
        ).unlink()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        few_entries._lifecycle_entered()
        self.env.flush_all()
        few = self.cr.sql_log_count - before
        self.env.invalidate_all()
        with self.assertQueryCount(few):
            many_entries._lifecycle_entered()
            self.env.flush_all()
        self.assertEqual(action.done_count, 258)
        customers = many_entries.partner_id
        for customer in customers:
            self.assertIn(self.salesman.partner_id, customer.message_partner_ids)
            self.assertEqual(customer.activity_ids.user_id, self.salesman)
            self.assertEqual(customer.activity_ids.res_name, customer.display_name)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", customers.ids),
                ("message_type", "=", "email_outgoing"),
            ]
        )
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(customers.ids))
        for sent in mails:
            customer = customers.browse(sent.res_id)
            self.assertEqual(sent.recipient_ids, customer)
            self.assertEqual(sent.mail_message_id.partner_ids, customer)
            self.assertIn(f"Hello {customer.name},", sent.mail_message_id.body)

    def test_mail_in_the_chatter_and_sent_by_the_mail_queue(self):
        """The e-mail of an action (inserted in bulk, not by ``create()``) is
        a message on the customer's chatter, as the web client fetches it;
        the mail queue's scheduled action is triggered and sends it; once
        sent and deleted from the queue (the template deletes its e-mails),
        the message stays on the chatter."""
        template = self.env.ref("crm_lifecycle.mail_template_entry_welcome")
        self.assertTrue(template.auto_delete)
        action = self.Action.create(
            {
                "name": "Welcome",
                "stage_id": self.stage.id,
                "action_type": "mail",
                "mail_template_id": template.id,
            }
        )
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", cron.id)])
        customers = self._customers(2)
        # their messages read (cached) before, as a form shows them
        self.assertFalse(
            customers.message_ids.filtered(lambda m: m.message_type == "email_outgoing")
        )
        with self.mock_mail_gateway():
            customers._lifecycle_move(self.stage)
        self.assertFalse(self._new_mails, "inserted in bulk, not by create()")
        self.assertEqual(action.done_count, 2)
        self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]) - triggers)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", customers.ids),
                ("message_type", "=", "email_outgoing"),
            ]
        )
        self.assertEqual(mails.mapped("state"), ["outgoing", "outgoing"])
        messages = mails.mail_message_id
        for customer in customers:
            fetched = self.env["mail.message"]._message_fetch([], thread=customer)
            welcome = fetched["messages"] & messages
            self.assertEqual(len(welcome), 1)
            self.assertIn(welcome, customer.message_ids)
            self.assertIn(f"Hello {customer.name},", welcome.body)
            self.assertEqual(welcome.partner_ids, customer)
        with self.mock_mail_gateway(mail_unlink_sent=True):
            self.env["mail.mail"].process_email_queue(email_ids=mails.ids)
        for customer in customers:
            self.assertSentEmail(
                self.salesman.email_formatted,
                [customer],
                subject=f"Welcome to {self.env.company.name}",
                body_content=f"Hello {customer.name},",
            )
        self.assertFalse(mails.exists(), "deleted once sent (auto_delete)")
        self.assertEqual(len(messages.exists()), 2, "still on the chatter")
        for customer in customers:
            self.assertEqual(len(customer.message_ids & messages), 1)

    def test_mail_placeholders_rendered_for_each_customer(self):
        """Rendered in one pass for the whole batch, each e-mail still has its
        customer's values: placeholders with a default, per language."""
        self.env["res.lang"]._activate_lang("es_ES")
        template = self.env["mail.template"].create(
            {
                "name": "Per customer",
                "model_id": self.partner_model.id,
                "subject": "For {{ object.name }} ({{ object.ref ||| no ref }})",
                "email_from": "{{ object.user_id.email_formatted }}",
                "reply_to": "{{ object.email }}",
                "partner_to": "{{ object.id }}",
                "lang": "{{ object.lang }}",
                "body_html": '<p>Dear <t t-out="object.name"/></p>',
            }
        )
        self.Action.create(
            {
                "name": "Per customer",
                "stage_id": self.stage.id,
                "action_type": "mail",
                "mail_template_id": template.id,
            }
        )
        customers = self._customers(3)
        customers[0].ref = "R0"
        customers[2].lang = "es_ES"
        customers._lifecycle_move(self.stage)
        mails = self.env["mail.mail"].search(
            [("mail_message_id.subject", "like", "For Entry customer")]
        )
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(customers.ids))
        # as Odoo renders it, record by record
        subjects = template._render_field("subject", customers.ids, compute_lang=True)
        for sent in mails:
            customer = customers.browse(sent.res_id)
            self.assertEqual(sent.subject, subjects[customer.id])
            self.assertIn(customer.name, sent.subject)
            self.assertIn(customer.ref or "no ref", sent.subject)
            self.assertEqual(sent.reply_to, customer.email)
            self.assertEqual(sent.email_from, self.salesman.email_formatted)
            self.assertIn(f"<p>Dear {customer.name}</p>", sent.body_html)
            self.assertEqual(sent.recipient_ids, customer)

    def test_automation_rule_on_the_stage_fires_when_it_moves_by_itself(self):
        """An Odoo automation rule on customers watching the lifecycle stage
        fires when an order confirmed moves the customer."""
        partner_stage = self.env["ir.model.fields"]._get(
            "res.partner", "lifecycle_stage_id"
        )
        self.env["base.automation"].create(
            {
                "name": "Stage moved",
                "model_id": self.partner_model.id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [Command.set(partner_stage.ids)],
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Stamp",
                            "model_id": self.partner_model.id,
                            "state": "code",
                            "code": "records.write({'ref': "
                            "record.lifecycle_stage_id.code})",
                        }
                    )
                ],
            }
        )
        self._order()
        self.assertStage(self.customer, "new_customer")
        self.assertEqual(self.customer.ref, "new_customer")
