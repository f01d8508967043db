"""Full-text indexes per database: SQLite FTS5 virtual tables, PostgreSQL tsvector + GIN."""

from django.db import migrations

FTS5_TOKENIZER = "tokenize = \"unicode61 remove_diacritics 0\""
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5(title, title_x, people, people_x, tags, "
    f"tags_x, body, body_x, slides, slides_x, transcript, transcript_x, {FTS5_TOKENIZER})",
    f"CREATE VIRTUAL TABLE search_segment_fts USING fts5(meta, text, text_x, {FTS5_TOKENIZER})",
    f"CREATE VIRTUAL TABLE search_slide_fts USING fts5(meta, text, text_x, {FTS5_TOKENIZER})",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS search_entry_fts",
    "DROP TABLE IF EXISTS search_segment_fts",
    "DROP TABLE IF EXISTS search_slide_fts",
]
PG_TABLES = ("search_searchentry", "search_searchsegment", "search_searchslidepage")
PG_CREATE = [
    stmt
    for table in PG_TABLES
    for stmt in (
        f"ALTER TABLE {table} ADD COLUMN tsv tsvector",
        f"CREATE INDEX {table}_tsv ON {table} USING GIN (tsv)",
    )
]
PG_DROP = [f"ALTER TABLE {table} DROP COLUMN IF EXISTS tsv" for table in PG_TABLES]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
        ),
    ]
