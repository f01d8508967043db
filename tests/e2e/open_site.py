"""Fixtures shared by the task-E browser tests (accessibility and site walkthrough).

Wagtail's base rows are recreated before every browser test by the autouse ``base_rows``
fixture in ``tests/e2e/conftest.py``.
"""

import pytest

from tests.archive.open_data import build_archive


@pytest.fixture(name="site")
def site_fixture(base_rows, live_server, archive_root):
    """The shared small archive (public, draft, private seminars), indexed for search."""
    from search.engines import database_engine

    archive = build_archive(archive_root)
    database_engine().rebuild()
    return archive
