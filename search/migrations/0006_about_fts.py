"""SQLite: ``search_about_fts``, a second full-text table holding only what a seminar is about
(title, people, topics and tags, lead and body), which ranking reads for that part of the
score. FTS5's bm25 divides by the length of the whole row, so over ``search_entry_fts`` a title
match on a seminar with a three-hour transcript scored far below the same title on one
without (see ``search.engines.database.SqliteIndex.match_entries``). Filled here from the
seminars' index, so no rebuild is needed. PostgreSQL ranks otherwise and needs nothing."""

from django.db import migrations

ABOUT_COLUMNS = "title, title_x, people, people_x, tags, tags_x, body, body_x"
FORWARD = [
    f"CREATE VIRTUAL TABLE search_about_fts USING fts5({ABOUT_COLUMNS}, "
    'tokenize = "unicode61 remove_diacritics 0")',
    f"INSERT INTO search_about_fts(rowid, {ABOUT_COLUMNS}) "
    f"SELECT rowid, {ABOUT_COLUMNS} FROM search_entry_fts",
    "INSERT INTO search_about_fts(search_about_fts) VALUES ('optimize')",
]
BACKWARD = ["DROP TABLE IF EXISTS search_about_fts"]


def sqlite_only(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_entry_rank_vector"),
    ]

    operations = [
        migrations.RunPython(sqlite_only(FORWARD), sqlite_only(BACKWARD)),
    ]
