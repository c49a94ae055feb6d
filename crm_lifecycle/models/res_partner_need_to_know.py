# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What each employee may know of a customer.

Two boundaries, as core Odoo draws them:

- Money (receivable, overdue, disputed, invoiced, paid, promises; predicted
  value in crm_segmentation) is for accounting users and salespeople (sales
  managers included): the fields carry ``groups=MONEY_GROUPS``, so a warehouse
  user or a plain employee cannot read, search or group by them.
- A salesperson limited to its own documents (core's "own documents only")
  knows its own customers (and those without a salesperson, as core's order
  rule does): of another salesperson's customer it reads what core shows
  (name, address...) and none of the suite's judgement (stage, facts, history,
  scores, summary). Reading such fields gives empty values, and searching or
  grouping on them only ever matches its own customers.
"""

from odoo import api, models
from odoo.fields import Domain

MONEY_GROUPS = "account.group_account_invoice,sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Extension points
    # ------------------------------------------------------------------

    @api.model
    def _lifecycle_guarded_prefixes(self):
        """Prefixes of the partner fields that judge a customer. Addons add
        theirs with ``super()``."""
        return ("lifecycle_",)

    @api.model
    def _lifecycle_unguarded_fields(self):
        """Fields with a guarded prefix that judge nothing. Addons add theirs
        with ``super()``."""
        return {"lifecycle_currency_id"}

    @api.model
    def _lifecycle_guarded_fields(self):
        prefixes = self._lifecycle_guarded_prefixes()
        unguarded = self._lifecycle_unguarded_fields()
        return {
            name
            for name in self._fields
            if name.startswith(prefixes) and name not in unguarded
        }

    @api.model
    def _lifecycle_own_customers_only(self):
        """Whether the user knows only its own customers: a salesperson with
        "own documents only", without accounting rights."""
        user = self.env.user
        return (
            user.has_group("sales_team.group_sale_salesman")
            and not user.has_group("sales_team.group_sale_salesman_all_leads")
            and not user.has_group("account.group_account_invoice")
        )

    @api.model
    def _lifecycle_own_customers_domain(self):
        uid = self.env.uid
        return Domain("commercial_partner_id.user_id", "=", uid) | Domain(
            "commercial_partner_id.user_id", "=", False
        )

    def _lifecycle_not_known(self, as_user=False):
        """The partners of ``self`` the user may not know (one query).

        :param as_user: judge for the user even in sudo mode (a value computed
            as superuser for the user, such as the customer summary)
        """
        if (self.env.su and not as_user) or not self._lifecycle_own_customers_only():
            return self.browse()
        uid = self.env.uid
        return self.sudo().filtered(
            lambda p: p.commercial_partner_id.user_id.id not in (uid, False)
        )

    # ------------------------------------------------------------------
    # Reading, searching, grouping
    # ------------------------------------------------------------------

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        guarded = self._lifecycle_guarded_fields().intersection(fnames)
        if not guarded:
            return result
        unknown = set(self._lifecycle_not_known().ids)
        if not unknown:
            return result
        empty = {
            fname: []
            if self._fields[fname].type in ("one2many", "many2many")
            else False
            for fname in guarded
        }
        for values in result:
            if values.get("id") in unknown:
                values.update(empty)
        return result

    @api.model
    def _lifecycle_mentions_guarded(self, names):
        guarded = self._lifecycle_guarded_fields()
        return any(
            name.split(":")[0].split(".")[0] in guarded for name in names if name
        )

    @api.model
    def _lifecycle_restrict_domain(self, domain, names=()):
        """The domain, restricted to the user's own customers when it (or the
        grouping/aggregates ``names``) uses a guarded field."""
        if self.env.su or not self._lifecycle_own_customers_only():
            return domain
        domain = Domain(domain)
        fnames = [cond.field_expr for cond in domain.iter_conditions()]
        if not self._lifecycle_mentions_guarded(list(fnames) + list(names)):
            return domain
        return domain & self._lifecycle_own_customers_domain()

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        domain = self._lifecycle_restrict_domain(domain)
        return super()._search(domain, offset, limit, order, **kwargs)

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        domain = self._lifecycle_restrict_domain(
            domain, list(groupby) + list(aggregates)
        )
        return super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )
