"""Fixtures shared by the task-E browser tests (accessibility and site walkthrough).

Browser tests need committed data (``transaction=True``). After such a test Django flushes every
table; ``serialized_rollback`` should restore the rows migrations made, but after tests that
drive the live server with media requests those rows were sometimes gone. ``base_rows``
recreates the three that the archive needs (default locale, page root, collection root) when
they are missing, so each test starts from the same state whatever ran before.
"""

import pytest
from django.conf import settings

from tests.archive.open_data import build_archive


@pytest.fixture(name="base_rows")
def base_rows_fixture(transactional_db):
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture(name="site")
def site_fixture(base_rows, live_server, archive_root):
    """The shared small archive (public, draft, private seminars), indexed for search."""
    from search.engines import database_engine

    archive = build_archive(archive_root)
    database_engine().rebuild()
    return archive
