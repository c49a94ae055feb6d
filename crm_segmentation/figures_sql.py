# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SQL of the nightly figures (no Odoo models): write a set of figures
computed for many records in one statement, touching only the rows whose
stored figures change (a rewritten row costs a new row version and, unless
the update stays on its page, an entry in every index of the table)."""

from odoo.tools import SQL

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
