# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SQL of the nightly figures (no Odoo models): write a set of figures
computed for many records in one statement, touching only the rows whose
stored figures change (a rewritten row costs a new row version and, unless
the update stays on its page, an entry in every index of the table); for
company-dependent figures, the rows whose figures of the company change."""

from odoo.tools import SQL

from odoo.addons.crm_lifecycle.company_values import with_company_value

ONE = SQL("1")


def set_fillfactor(cr, table, fillfactor):
    """Leave ``100 - fillfactor`` % of each page of ``table`` free, so that a
    row the nightly job rewrites keeps its new version on the same page,
    without a new entry in the table's indexes (a HOT update)."""
    cr.execute(
        SQL(
            "ALTER TABLE %s SET (fillfactor = %s)",
            SQL.identifier(table),
            SQL(str(int(fillfactor))),
        )
    )


def _changed(alias, values):
    """``(alias.col, ...) IS DISTINCT FROM (expr, ...)`` of ``values``
    ({column: SQL expression})."""
    return SQL(
        "(%s) IS DISTINCT FROM (%s)",
        SQL(", ").join(SQL.identifier(alias, column) for column in values),
        SQL(", ").join(values.values()),
    )


def update_changed(table, source, key, values, returning=ONE):
    """``UPDATE table t SET col = expr... FROM (source) v WHERE t.id = v.<key>``
    of the rows whose figures differ: ``values`` maps the columns of
    ``table`` to SQL expressions on ``v``."""
    return SQL(
        """
        UPDATE %(table)s t
           SET %(assignments)s
          FROM (%(source)s) v
         WHERE t.id = %(key)s
           AND %(changed)s
     RETURNING %(returning)s""",
        table=SQL.identifier(table),
        assignments=SQL(", ").join(
            SQL("%s = %s", SQL.identifier(column), value)
            for column, value in values.items()
        ),
        source=source,
        key=SQL.identifier("v", key),
        changed=_changed("t", values),
        returning=returning,
    )


def update_company_changed(table, source, key, values, company_id, returning=ONE):
    """``update_changed`` of company-dependent columns (a jsonb per row, one
    value per company): ``values`` maps the columns of ``table`` to pairs
    (the company's current value on ``t``, as Odoo reads it:
    ``Model.with_company(company)._field_to_sql("t", column)``; the new value,
    an SQL expression on ``v``). Only the company's value is written (the
    other companies' kept), in the rows where one of them differs."""
    return SQL(
        """
        UPDATE %(table)s t
           SET %(assignments)s
          FROM (%(source)s) v
         WHERE t.id = %(key)s
           AND (%(current)s) IS DISTINCT FROM (%(new)s)
     RETURNING %(returning)s""",
        table=SQL.identifier(table),
        assignments=SQL(", ").join(
            SQL(
                "%s = %s",
                SQL.identifier(column),
                with_company_value(SQL.identifier("t", column), company_id, new),
            )
            for column, (_current, new) in values.items()
        ),
        source=source,
        key=SQL.identifier("v", key),
        current=SQL(", ").join(current for current, _new in values.values()),
        new=SQL(", ").join(new for _current, new in values.values()),
        returning=returning,
    )


def upsert_changed(table, source, keys, columns, returning=ONE):
    """``INSERT INTO table (keys + columns) source ON CONFLICT (keys) DO
    UPDATE`` of the rows whose ``columns`` differ: ``source`` selects the
    keys then the columns, in that order."""
    return SQL(
        """
        INSERT INTO %(table)s AS t (%(names)s)
        %(source)s
        ON CONFLICT (%(keys)s) DO UPDATE
           SET %(assignments)s
         WHERE %(changed)s
     RETURNING %(returning)s""",
        table=SQL.identifier(table),
        names=SQL(", ").join(SQL.identifier(name) for name in (*keys, *columns)),
        source=source,
        keys=SQL(", ").join(SQL.identifier(key) for key in keys),
        assignments=SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(column), SQL.identifier(column))
            for column in columns
        ),
        changed=_changed(
            "t",
            {column: SQL("EXCLUDED.%s", SQL.identifier(column)) for column in columns},
        ),
        returning=returning,
    )
