"""PostgreSQL: an index on a transcript segment's seminar and id, so that the earliest segments
of one seminar matching a common word are read in order and the scan stops after the first few
(``PostgresIndex.match_parts``). SQLite needs none: its index on ``entry_id`` already holds the
rowid (the id) in order."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_searchsegment_entry_order "
    "ON search_searchsegment (entry_id, id)"
)
DROP = "DROP INDEX IF EXISTS search_searchsegment_entry_order"


def postgresql_only(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_entry_indexed_at_index"),
    ]

    operations = [
        migrations.RunPython(postgresql_only(CREATE), postgresql_only(DROP)),
    ]
