# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmLifecycleDocumentMixin(models.AbstractModel):
    """A document that is a contact with the customer (an order, an invoice,
    a delivery...): it is logged in the customer's timeline when it happens,
    and the documents a database already has are logged at installation.

    One declaration drives both, the class attribute
    ``_lifecycle_interactions``: {interaction type: spec}, each spec a dict of

    - ``domain``: the documents logged with this type. Live, the documents of
      the event are filtered with it; at installation every document matching
      it is logged (one ``INSERT ... SELECT`` per type).
    - ``direction``: ``inbound`` (the customer reached us) or ``outbound``.
    - ``date_field``: the document's date of the contact; None: the moment it
      happens (at installation: the document's creation).
    - ``user_field``: the responsible user (default ``user_id``; None: none).
    - ``partner_field``: the customer or contact (default ``partner_id``).
    - ``backfill``: False for a type not logged at installation (default True).

    The documents need a stored ``name`` and ``company_id``.
    """

    _name = "crm.lifecycle.document.mixin"
    _description = "Document in the Customer Timeline"

    _lifecycle_interactions = {}

    def _lifecycle_log_interactions(self, interaction_type, **kwargs):
        """Log the documents of ``self`` matching the type's domain, once each.

        A company updating its customers in the background
        (``res.company.lifecycle_event_processing``) logs them in its job: the
        request only queues them with its events (one row, one statement at
        commit). Documents with extra values (``values``, ``name``) are
        logged at commit, in that statement.

        :param kwargs: extra arguments of ``crm.interaction._log_documents``
            (``name``, ``values``, ``now``...)
        :return: the documents of ``self`` that match (logged now, before or
            by the job)
        """
        spec = self._lifecycle_interaction_spec(interaction_type)
        documents = self.filtered_domain(spec["domain"])
        if documents:
            background = self.env["res.partner"]._lifecycle_in_background()
            if background and not kwargs.keys() & {"name", "values"}:
                self.env["crm.lifecycle.pending"]._queue_documents(
                    documents, interaction_type
                )
                return documents
            kwargs.setdefault("defer", background)
            self.env["crm.interaction"]._log_documents(
                documents,
                interaction_type,
                partner_field=spec["partner_field"],
                date_field=spec["date_field"],
                user_field=spec["user_field"],
                direction=spec["direction"],
                **kwargs,
            )
        return documents

    def _lifecycle_interaction_spec(self, interaction_type):
        """The spec of a type with its defaults (see the class docstring)."""
        return {
            "date_field": None,
            "user_field": "user_id",
            "partner_field": "partner_id",
            "backfill": True,
            **self._lifecycle_interactions[interaction_type],
        }
