# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

# the columns a campaign response is inserted with (all it has)
CAMPAIGN_COLUMNS = (
    ("name", "varchar"),
    ("partner_id", "int4"),
    ("contact_id", "int4"),
    ("date", "timestamp"),
    ("direction", "varchar"),
    ("user_id", "int4"),
    ("res_id", "int4"),
    ("source_name", "varchar"),
    ("campaign_event", "varchar"),
    ("mailing_trace_id", "int4"),
    ("mailing_id", "int4"),
)


class CrmInteraction(models.Model):
    """Campaign responses: what each recipient of a mailing did with it, one
    interaction per mailing trace and event (see ``mailing.trace``)."""

    _inherit = "crm.interaction"

    campaign_event = fields.Selection(
        [
            ("sent", "Sent"),
            ("opened", "Opened"),
            ("clicked", "Clicked"),
            ("replied", "Replied"),
            ("bounced", "Bounced"),
        ],
        readonly=True,
        index="btree_not_null",
        help="What the customer did with the mailing (or, for sent and "
        "bounced, what the mailing did).",
    )
    mailing_trace_id = fields.Many2one(
        "mailing.trace",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )

    _campaign_event_uniq = models.UniqueIndex(
        "(mailing_trace_id, campaign_event, partner_id) "
        "WHERE mailing_trace_id IS NOT NULL",
        "This campaign response is already in the customer's timeline.",
    )

    @api.model
    def _lifecycle_insert_campaign_rows(self, vals_list):
        """Insert campaign responses with one INSERT ... SELECT FROM unnest
        (thousands of recipients per mailing: the ORM would spend a millisecond
        on each); those already there are skipped by the unique index.

        :param vals_list: dicts with the keys of ``CAMPAIGN_COLUMNS``
        :return: the interactions inserted
        """
        if not vals_list:
            return self.browse()
        self.env.flush_all()
        columns = [SQL.identifier(name) for name, _type in CAMPAIGN_COLUMNS]
        arrays = [
            SQL(
                "%s::%s[]",
                [vals[name] or None for vals in vals_list],
                SQL(sql_type),
            )
            for name, sql_type in CAMPAIGN_COLUMNS
        ]
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_interaction (
                    %(columns)s, company_id, interaction_type, channel,
                    department, res_model, is_automatic, create_uid, write_uid,
                    create_date, write_date
                )
                SELECT r.*, %(company)s, 'campaign_response', 'email',
                       'marketing', 'mailing.mailing', TRUE, %(uid)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(arrays)s) AS r
                    ON CONFLICT (mailing_trace_id, campaign_event, partner_id)
                 WHERE mailing_trace_id IS NOT NULL DO NOTHING
             RETURNING id
                """,
                columns=SQL(", ").join(columns),
                company=self.env.company.id,
                uid=self.env.uid,
                arrays=SQL(", ").join(arrays),
            )
        )
        return self.browse([row[0] for row in rows])

    @api.model
    def _department_by_model(self):
        return {
            **super()._department_by_model(),
            "mailing.mailing": "marketing",
            "mailing.trace": "marketing",
        }
