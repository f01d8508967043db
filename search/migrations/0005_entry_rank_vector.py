"""PostgreSQL: ``search_searchentry.tsv_rank``, the seminar's tsvector with each word's
positions cut to the first five, which ranking reads instead of the whole vector (see
``search.engines.database.RANK_POSITIONS``). Filled here from the stored vectors (about 5 ms a
seminar), so no rebuild is needed. SQLite ranks with FTS5's bm25 and needs nothing."""

from django.db import migrations

# The same expression as search.engines.database.pg_rank_vector("tsv") with RANK_POSITIONS = 5,
# written out so this migration keeps doing what it did if that code changes.
RANK_VECTOR = (
    r"coalesce((SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') "
    r"|| ''':' || (SELECT string_agg(p::text || w, ',') FROM unnest(positions[1:5], "
    r"weights[1:5]) AS x(p, w)), ' ')::tsvector FROM unnest(tsv)), ''::tsvector)"
)
FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN tsv_rank tsvector",
    f"UPDATE search_searchentry SET tsv_rank = {RANK_VECTOR} WHERE tsv IS NOT NULL",
]
BACKWARD = ["ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv_rank"]


def postgresql_only(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_segment_entry_order_index"),
    ]

    operations = [
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
    ]
