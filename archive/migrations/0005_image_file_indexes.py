"""Indexes on the ``file`` columns of Wagtail's images and renditions.

Every request for an image or a rendition under /media/ finds the image by its file name before
deciding who may fetch it (``archive.media_access.image_access``); Wagtail indexes neither
column, so without these each request scanned the whole table (``bench/media_access.py``: on
PostgreSQL with 60,000 renditions about 10 ms a request instead of 1.3 ms).

Plain SQL on Wagtail's tables, outside Django's model state (the models are Wagtail's), so
``makemigrations`` does not see them. On SQLite a later Wagtail migration that rebuilds one of
these tables drops its index again (lookups stay correct, only slower); run this SQL again then.
"""

from django.db import migrations

INDEXES = {
    "archive_image_file_idx": "wagtailimages_image",
    "archive_rendition_file_idx": "wagtailimages_rendition",
}


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_speaker_family_name"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} (file)",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table in INDEXES.items()
    ]
