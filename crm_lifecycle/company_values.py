# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SQL of company-dependent figures (no Odoo models).

A shared customer has its own stage, facts and RFM figures in each company:
they are Odoo ``company_dependent`` fields, one jsonb per partner row,
``{"<company id>": value}`` (Odoo leaves out a company whose value is the
field's default). Reading one company's value in SQL is Odoo's own
``Model.with_company(company)._field_to_sql(alias, fname)``; this module
writes one company's values set-based (the nightly jobs) and converts the
columns of an existing database (the upgrade)."""

from odoo.tools import SQL


def with_company_value(column, company_id, value):
    """The jsonb ``column`` (SQL) with ``value`` (SQL, NULL: none) as the
    value of the company ``company_id``; the other companies' values kept,
    NULL when no company has a value left."""
    key = str(int(company_id))
    return SQL(
        """NULLIF(CASE WHEN %(value)s IS NULL
                THEN COALESCE(%(column)s, '{}'::jsonb) - %(key)s
                ELSE COALESCE(%(column)s, '{}'::jsonb)
                     || jsonb_build_object(%(key)s, %(value)s)
            END, '{}'::jsonb)""",
        column=column,
        key=key,
        value=value,
    )


def main_company_id(cr):
    """The database's main company (``base.main_company``, else the first)."""
    cr.execute(
        """
        SELECT COALESCE(
            (SELECT res_id FROM ir_model_data
              WHERE module = 'base' AND name = 'main_company'),
            (SELECT MIN(id) FROM res_company))
        """
    )
    return cr.fetchone()[0]


def convert_to_company_dependent(cr, table, columns, company_sql=None):
    """Upgrade: turn plain ``columns`` of ``table`` into company-dependent
    jsonb columns, each value kept for the company of the row
    (``company_sql``, an SQL expression on the row, e.g. its ``company_id``),
    else for the main company. Columns already jsonb, or missing, are left."""
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = ANY(%s)"
            " AND data_type != 'jsonb'",
            table,
            list(columns),
        )
    )
    todo = [name for (name,) in cr.fetchall()]
    if not todo:
        return []
    key = SQL(
        "COALESCE(%s, %s)::text", company_sql or SQL("NULL::int"), main_company_id(cr)
    )
    for name in todo:
        column = SQL.identifier(name)
        _drop_foreign_keys(cr, table, name)
        cr.execute(
            SQL(
                "ALTER TABLE %(table)s ALTER COLUMN %(column)s DROP DEFAULT,"
                " ALTER COLUMN %(column)s TYPE jsonb USING CASE"
                " WHEN %(column)s IS NULL THEN NULL"
                " ELSE jsonb_build_object(%(key)s, %(column)s) END",
                table=SQL.identifier(table),
                column=column,
                key=key,
            )
        )
    return todo


def _drop_foreign_keys(cr, table, column):
    """A company-dependent many2one has no foreign key (a jsonb of ids)."""
    cr.execute(
        SQL(
            """
            SELECT con.conname
              FROM pg_constraint con
              JOIN pg_attribute att
                ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)
             WHERE con.contype = 'f'
               AND con.conrelid = %s::regclass
               AND att.attname = %s
            """,
            table,
            column,
        )
    )
    for (name,) in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s",
                SQL.identifier(table),
                SQL.identifier(name),
            )
        )
