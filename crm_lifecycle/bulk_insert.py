# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rows inserted in one statement (plain Python, no model): the ORM inserts
by hundreds and spends a millisecond per record in Python hooks, which a
nightly batch of thousands of records cannot afford."""

from collections import defaultdict

from odoo.fields import Command
from odoo.orm.models import INSERT_BATCH_SIZE
from odoo.tools import SQL

# ``create()`` inserts by this many rows: up to it, one query anyway (and the
# bulk path's checks would cost more than they save)
ORM_INSERT_BATCH = INSERT_BATCH_SIZE


def insert_rows(cr, table, columns, rows, conflict=None, keys=()):
    """Insert ``rows`` into ``table`` with one ``INSERT ... SELECT FROM
    unnest(...)``, an array per column.

    :param columns: [(column name, SQL type of its array elements)]
    :param rows: tuples of column values (already converted for the
        database), in the order of ``columns``
    :param conflict: the target of an ``ON CONFLICT ... DO NOTHING`` (SQL, a
        unique index's columns and predicate): the rows it matches are
        skipped, in the same statement
    :param keys: with ``conflict``, the columns telling which rows were
        inserted, returned with their ids
    :return: the ids of the new rows, in the order of ``rows`` (the rows are
        inserted in that order: the sequence gives them increasing ids); with
        ``keys``, [(id, *keys)] of the rows inserted
    """
    if not rows:
        return []
    cr.execute(insert_rows_sql(table, columns, rows, conflict, keys))
    if keys:
        return cr.fetchall()
    return sorted(row[0] for row in cr.fetchall())


def insert_rows_sql(table, columns, rows, conflict=None, keys=()):
    """The statement of ``insert_rows`` (``RETURNING id, *keys``), to run
    alone or as a common table expression of a larger statement."""
    names = [SQL.identifier(name) for name, _type in columns]
    arrays = [
        SQL("%s::%s[]", [row[index] for row in rows], SQL(sql_type))
        for index, (_name, sql_type) in enumerate(columns)
    ]
    return SQL(
        """
        INSERT INTO %(table)s (%(names)s)
        SELECT %(values)s
          FROM unnest(%(arrays)s) WITH ORDINALITY AS r(%(names)s, ordinality)
      ORDER BY r.ordinality
               %(conflict)s
     RETURNING %(returning)s
        """,
        table=SQL.identifier(table),
        names=SQL(", ").join(names),
        values=SQL(", ").join(SQL.identifier("r", name) for name, _t in columns),
        arrays=SQL(", ").join(arrays),
        conflict=SQL("ON CONFLICT %s DO NOTHING", conflict) if conflict else SQL(),
        returning=SQL(", ").join(map(SQL.identifier, ("id", *keys))),
    )


def insert_links(cr, table, column1, column2, pairs):
    """Insert the (id1, id2) ``pairs`` of a many2many relation in one
    statement (pairs already there are skipped)."""
    if not pairs:
        return
    cr.execute(
        SQL(
            """
            INSERT INTO %(table)s (%(column1)s, %(column2)s)
            SELECT * FROM unnest(%(ids1)s::int[], %(ids2)s::int[])
            ON CONFLICT DO NOTHING
            """,
            table=SQL.identifier(table),
            column1=SQL.identifier(column1),
            column2=SQL.identifier(column2),
            ids1=[pair[0] for pair in pairs],
            ids2=[pair[1] for pair in pairs],
        )
    )


# ---------------------------------------------------------------------------
# Records of a model inserted as ``create()`` would insert them
# ---------------------------------------------------------------------------


def with_defaults(model, vals, cache):
    """``vals`` and the defaults of the fields it misses, as ``create()``
    adds them (``_add_missing_default_values``), computed once per model and
    set of fields given."""
    key = (model._name, frozenset(vals))
    if key not in cache:
        cache[key] = {
            name: value
            for name, value in model._add_missing_default_values(
                dict.fromkeys(vals)
            ).items()
            if name not in vals
        }
    return {**cache[key], **vals}


def column_values(model, vals, index, links, cache):
    """The column values of one record of ``model``, converted for the
    database as ``create()`` converts them (html sanitized...); its
    many2many targets are appended to ``links[model, field]`` as (``index``,
    ids). Inherited fields (``_inherits``) are skipped. None if a value needs
    ``create()``: a one2many, a record created or changed by a command, a
    stored computed field not given (the ORM would compute it)."""
    key = ("computed", model._name, frozenset(vals))
    if key not in cache:
        cache[key] = any(
            field.store and field.compute and not field.inherited and name not in vals
            for name, field in model._fields.items()
        )
    if cache[key]:
        return None
    row = {}
    for name, value in vals.items():
        field = model._fields[name]
        if field.inherited:
            continue
        if field.type == "many2many":
            targets = link_ids(value)
            if targets is None:
                return None
            if targets:
                links[model._name, name].append((index, targets))
        elif field.store and field.column_type:
            row[name] = field.convert_to_column_insert(value, model, vals)
        elif value:
            return None  # a one2many, a non-stored field with an inverse
    return row


def link_ids(value):
    """The ids a many2many value links (ids, link or set commands), or None
    if it does anything else."""
    ids = []
    for command in value or ():
        if isinstance(command, int):
            ids.append(command)
        elif command[0] == Command.LINK:
            ids.append(command[1])
        elif command[0] == Command.SET:
            ids.extend(command[2])
        else:
            return None
    return ids


def insert_records(model, rows, conflict=None, keys=()):
    """Insert ``rows`` (dicts of column values of ``model``) with the access
    log columns ``create()`` sets (models that log access); returns the new
    ids in order (``conflict``, ``keys``: see ``insert_rows``)."""
    if not rows:
        return []
    return insert_rows(model.env.cr, *_record_columns(model, rows), conflict, keys)


def insert_records_sql(model, rows, conflict=None, keys=()):
    """The statement of ``insert_records`` (see ``insert_rows_sql``)."""
    return insert_rows_sql(*_record_columns(model, rows), conflict, keys)


def _record_columns(model, rows):
    """(table, columns, row tuples) of ``insert_records``."""
    names = sorted({name for row in rows for name in row})
    columns = [(name, model._fields[name].column_type[1]) for name in names]
    log = ()
    if model._log_access:
        now = model.env.cr.now()
        log = (model.env.uid, model.env.uid, now, now)
        columns += [
            ("create_uid", "int4"),
            ("write_uid", "int4"),
            ("create_date", "timestamp"),
            ("write_date", "timestamp"),
        ]
    return (
        model._table,
        columns,
        [(*(row.get(name) for name in names), *log) for row in rows],
    )


def insert_relations(model, links, ids_by_model):
    """Insert the many2many rows collected by ``column_values``:
    ``ids_by_model[model name]`` are the new records' ids, in the order of
    the indexes."""
    for (model_name, fname), targets in links.items():
        field = model.env[model_name]._fields[fname]
        ids = ids_by_model[model_name]
        insert_links(
            model.env.cr,
            field.relation,
            field.column1,
            field.column2,
            [
                (ids[index], target)
                for index, target_ids in targets
                for target in target_ids
            ],
        )


def create_rows(model, vals_list):
    """Create records of ``model`` (no ``_inherits``) with one INSERT per
    table, as ``create()`` would insert them: the defaults, the values
    converted, the many2many links, the constraints checked, the fields
    depending on them and the inverse fields' caches invalidated. For models
    whose ``create()`` adds nothing else to the rows (a mail thread only when
    ``tracking_disable`` skips its chatter work).

    :return: the records, or None if a value needs ``create()`` (see
        ``column_values``): nothing is inserted then
    """
    if not vals_list:
        return model.browse()
    if model._inherits or (
        "message_ids" in model._fields and not model.env.context.get("tracking_disable")
    ):
        return None
    cache, links, rows = {}, defaultdict(list), []
    vals_list = [with_defaults(model, vals, cache) for vals in vals_list]
    for index, vals in enumerate(vals_list):
        row = column_values(model, vals, index, links, cache)
        if row is None:
            return None
        rows.append(row)
    model.flush_model()
    records = model.browse(insert_records(model, rows))
    insert_relations(model, links, {model._name: records.ids})
    after_insert(records, {name for vals in vals_list for name in vals})
    return records


def after_insert(records, names):
    """What ``create()`` does once the rows of ``records`` are inserted with
    the fields ``names``: the constraints checked, the fields depending on
    them marked, the caches of the inverse fields (a document's one2many)
    invalidated."""
    names = set(names)
    fields_ = records._fields
    # the columns inserted and those the constraints check, read in one query
    # per table: ``modified`` and the constraints read the new rows, which
    # record by record fetches them by 1000 (queries grow with the batch)
    checked = defaultdict(set)  # parent field (None: the record's own): names
    checked[None] = {
        name
        for name in names
        if fields_[name].store
        and fields_[name].column_type
        and not fields_[name].inherited
    }
    for check in records._constraint_methods:
        if names.isdisjoint(check._constrains):
            continue
        for name in check._constrains:
            field = fields_[name]
            if field.inherited:  # "parent_field.name"
                parent, parent_name = field.related.split(".")
                checked[parent].add(parent_name)
                checked[None].add(parent)
            elif field.store and field.column_type:
                checked[None].add(name)
    own = checked.pop(None)
    if own:
        records.fetch(own)
    for parent, parent_names in checked.items():
        records[parent].fetch(parent_names)
    records._validate_fields(names)
    # the stored computed fields given are their computes' values (see
    # ``column_values``): not computed again (by 1000 records a query)
    given = [
        computed
        for name in names
        if fields_[name].compute and fields_[name].store
        for computed in records.pool.field_computed.get(fields_[name], [fields_[name]])
    ]
    with records.env.protecting(given, records):
        records.modified(names, create=True)
    for name in names:
        for inverse in records.pool.field_inverses[records._fields[name]]:
            records.env[inverse.model_name].invalidate_model([inverse.name])
    # many2many fields on this table (a list's contacts on its subscriptions),
    # from the registry's index of relations rather than every field of
    # every model (milliseconds on each document logged)
    for (relation, _col1, _col2), pairs in records.pool.many2many_relations.items():
        if relation == records._table:
            for model_name, fname in pairs:
                records.env[model_name].invalidate_model([fname])


# ---------------------------------------------------------------------------
# Records of a model written with one UPDATE per distinct set of values
# ---------------------------------------------------------------------------


def flush_in_groups(records, fnames):
    """Write the pending values (``write()`` keeps them in the cache until
    the flush) of the fields ``fnames`` of ``records`` with one UPDATE per
    distinct set of values, as Odoo's flush would write them, and mark them
    written. Odoo's flush updates by 100 rows whatever their values (a
    nightly batch moving thousands of customers to the same stage: a query
    per 100 customers). The access log columns are set as the flush sets
    them; the other fields (and records) stay to flush. Fields the flush
    writes specially (translated, binary, the parent of a parent store) are
    left to it."""
    env = records.env
    model = records.browse()
    dirty = env._field_dirty
    fields_ = [
        model._fields[fname]
        for fname in fnames
        if model._fields[fname].store
        and model._fields[fname].column_type
        and not model._fields[fname].translate
        and model._fields[fname].type != "binary"
        and not (model._parent_store and fname == model._parent_name)
    ]
    groups = defaultdict(list)  # ((field, value's text)...): ids
    values = {}  # (field, value's text): value
    for record in records:
        key = []
        for field in fields_:
            if record.id in dirty.get(field, ()):
                value = field.get_column_update(record)
                text = repr(getattr(value, "adapted", value))  # jsonb: its data
                values[field, text] = value
                key.append((field, text))
        if key:
            groups[tuple(key)].append(record.id)
    table = SQL.identifier(model._table)
    for key, ids in groups.items():
        assignments = [
            _column_update(model, field, values[field, text]) for field, text in key
        ]
        if model._log_access and not {"write_uid", "write_date"} & {
            field.name for field, _text in key
        }:
            assignments += [
                SQL("write_uid = %s", env.uid),
                SQL("write_date = %s", env.cr.now()),
            ]
        env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                table,
                SQL(", ").join(assignments),
                ids,
            )
        )
        for field, _text in key:
            dirty[field].difference_update(ids)
            if not dirty[field]:
                del dirty[field]


def _column_update(model, field, value):
    """``column = value`` as Odoo's flush writes it (``_write_multi``): a
    company-dependent value merged into the other companies' values, those
    equal to the field's fallback left out."""
    column = SQL.identifier(field.name)
    expr = SQL("%s::%s", value, SQL(field.column_type[1]))
    if field.company_dependent:
        fallbacks = model.env["ir.default"]._get_field_column_fallbacks(
            model._name, field.name
        )
        expr = SQL(
            """(SELECT jsonb_object_agg(d.key, d.value)
                  FROM jsonb_each(
                       COALESCE(%(table)s.%(column)s, '{}'::jsonb) || %(expr)s) d
                  JOIN jsonb_each(%(fallbacks)s) f
                    ON d.key = f.key AND d.value != f.value)""",
            table=SQL.identifier(model._table),
            column=column,
            expr=expr,
            fallbacks=fallbacks,
        )
    return SQL("%s = %s", column, expr)
