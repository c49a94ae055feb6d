# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib

from odoo import models

from ..bulk_insert import ORM_INSERT_BATCH, flush_in_groups
from ..facts import LIFECYCLE_PREFETCH

# What Odoo's write reads of each customer moving (and of its contacts)
# besides their columns and the stage and facts (prefetch group
# ``LIFECYCLE_PREFETCH``, not read with the other columns)
BULK_MOVE_PREFETCH = ("user_ids", "child_ids")
# What it leaves to flush: the same values for every customer of a move
BULK_MOVE_FLUSH = (
    "lifecycle_stage_id",
    "lifecycle_date_stage",
    "write_uid",
    "write_date",
)
# The commercial fields a move copies to the contacts
STAGE_FIELDS = frozenset(("lifecycle_stage_id", "lifecycle_date_stage"))
# The customers of bulk moves in progress, whose contacts are written at once
BULK_SYNC_KEY = "crm_lifecycle.bulk_move_customers"


class ResPartner(models.Model):
    """The write of a move of hundreds of customers (a nightly batch), with
    queries that do not depend on their number. It is Odoo's ``write()``, so
    that everything a write does still happens (automation rules watching the
    stage, fields depending on it, the contacts' copy, other addons'
    overrides); only what it reads and writes record by record is done
    set-based:

    - what it reads of each customer and contact is fetched first (Odoo reads
      by 1000 records, the contacts customer by customer);
    - the contacts get the company's stage in one ``write()`` after the
      customers' (Odoo writes each customer's contacts apart: with an
      automation rule on customers, each write searches the rules);
    - the rows are written by one UPDATE (``bulk_insert.flush_in_groups``;
      Odoo's flush updates by 100 rows)."""

    _inherit = "res.partner"

    @contextlib.contextmanager
    def _lifecycle_bulk_move(self):
        """Around the ``write()`` of the stage of these customers moving (of
        the current company, all to the same stage at the same moment): for
        more than 100 of them, the reads before it, the contacts and the
        UPDATE after it (nothing for fewer: Odoo makes as many queries)."""
        if len(self) <= ORM_INSERT_BATCH:
            yield
            return
        rows, contacts = self._lifecycle_prefetch_bulk_move()
        customers = self.env.cr.cache.setdefault(BULK_SYNC_KEY, set())
        mine = set(self.ids) - customers
        customers |= mine
        try:
            yield
        finally:
            customers -= mine
        if contacts:
            # the values Odoo copies (``_commercial_sync_to_descendants``),
            # the same for every customer of the move
            contacts.with_context(mail_notrack=True).write(
                self[:1]._convert_fields_to_values(STAGE_FIELDS)
            )
        flush_in_groups(rows, BULK_MOVE_FLUSH)

    def _lifecycle_prefetch_bulk_move(self):
        """What Odoo's ``write()`` reads of each of these customers and of
        their descendants: their columns, stage and facts, users and
        children, a few queries per level of descendants. Returns the
        partners whose rows are written and the contacts Odoo copies the
        stage to (the children that are not companies, and theirs, as
        ``_commercial_sync_to_descendants``)."""
        to_fetch = [
            *BULK_MOVE_PREFETCH,
            *(
                name
                for name, field in self._fields.items()
                if field.prefetch == LIFECYCLE_PREFETCH
            ),
        ]
        self.fetch()  # the columns a first read fetches
        self.fetch(to_fetch)
        rows, contacts, level = self, self.browse(), self
        while children := level.child_ids - rows:
            children.fetch()
            children.fetch(to_fetch)
            rows |= children
            level = children.filtered(lambda child: not child.is_company)
            contacts |= level
        return rows, contacts

    def _commercial_sync_to_descendants(self, fields_to_sync=None):
        """The stage of the customers of a bulk move is copied to their
        contacts once for all of them (``_lifecycle_bulk_move``)."""
        customers = self.env.cr.cache.get(BULK_SYNC_KEY)
        if (
            customers
            and fields_to_sync
            and STAGE_FIELDS.issuperset(fields_to_sync)
            and customers.issuperset(self.ids)
        ):
            return None
        return super()._commercial_sync_to_descendants(fields_to_sync)
