"""Inserting many rows without building a model object for each.

Transcripts and their search index rows come in thousands per seminar; Django's ``bulk_create``
spends most of its time preparing each object's fields. Values passed here must already be what
the column stores (floats, strings, ids).

On PostgreSQL the rows go as one JSON array in a single ``INSERT ... SELECT FROM
json_to_recordset(...)``: one statement and one round trip for a 3,000-segment transcript, where
``executemany`` sends 3,000 statements, each quoted and parsed on its own. (Column arrays and
``unnest`` would do the same, but psycopg quotes every array element in Python: indexing 60,000
segments took 1.8 s in that statement with arrays, 1.3 s with JSON.) Values must be JSON
numbers, strings or None.
"""

import json
from contextlib import nullcontext
from itertools import repeat

from django.db import connection


def insert_rows(model, columns, rows, cursor=None) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order) into ``model``'s table in one go."""
    if not rows:
        return
    quote = connection.ops.quote_name
    target = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    with nullcontext(cursor) if cursor is not None else connection.cursor() as own:
        if connection.vendor == "postgresql":
            source, params = recordset(model, columns, rows)
            own.execute(f"{target} SELECT * FROM {source}", params)
        else:
            own.executemany(f"{target} VALUES ({', '.join(['%s'] * len(columns))})", rows)


def recordset(model, columns, rows, extra: dict[str, list] | None = None):
    """PostgreSQL: ``json_to_recordset(%s::json) AS u(<column> <type>, ...)`` and its one
    parameter, the rows (tuples in ``columns`` order, columns of ``model``) as a JSON array,
    with ``extra`` text columns (one value per row, for expressions computed from them). Read
    the columns as ``u.<name>``. Types come from the model's fields, so a value too long for its
    column is refused (not cut) and the whole statement with it."""
    extra = extra or {}
    if any(len(values) != len(rows) for values in extra.values()):
        raise ValueError("recordset: every extra column needs one value per row")
    names = [*columns, *extra]
    types = [_column_type(model, c) for c in columns] + ["text"] * len(extra)
    added = zip(*extra.values(), strict=True) if extra else repeat(())
    records = [
        dict(zip(names, (*row, *more), strict=True))
        for row, more in zip(rows, added, strict=False)  # lengths checked above
    ]
    quote = connection.ops.quote_name
    definition = ", ".join(f"{quote(n)} {t}" for n, t in zip(names, types, strict=True))
    return f"json_to_recordset(%s::json) AS u({definition})", [
        json.dumps(records, allow_nan=False, ensure_ascii=False)
    ]


def _column_type(model, column: str) -> str:
    """The PostgreSQL type of ``column`` (``entry_id`` is the field ``entry``)."""
    for field in model._meta.concrete_fields:
        if field.column == column:
            return field.db_type(connection)
    raise ValueError(f"{model.__name__} has no column {column!r}")
