"""Inserting many rows without building a model object for each.

Transcripts and their search index rows come in thousands per seminar; Django's ``bulk_create``
spends most of its time preparing each object's fields. Values passed here must already be what
the column stores (floats, strings, ids).
"""

from django.db import connection


def insert_rows(model, columns, rows, cursor=None) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order) into ``model``'s table in one executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if cursor is not None:
        cursor.executemany(sql, rows)
        return
    with connection.cursor() as own:
        own.executemany(sql, rows)
