"""Indexing with worker processes (search/parallel.py): when they are used, and that what they
prepare is exactly what one process writes."""

import os
import threading

import pytest
from django.db import connection, transaction

from search import parallel
from search.engines.database import DatabaseEngine, PreparedDocument
from search.models import SearchEntry, SearchSegment, SearchWord
from tests.search.conftest import SeminarMaker


@pytest.fixture
def workers(settings, monkeypatch):
    settings.SEARCH_INDEX_WORKERS = 2
    settings.ELASTICSEARCH_URL = ""
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 3)
    monkeypatch.setattr(parallel, "AHEAD", 1)  # chunks are handed out as earlier ones finish
    monkeypatch.setattr("search.engines.database.WRITE_CHUNK", 2)


def shared_database() -> bool:
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def require_shared_database() -> None:
    if not shared_database():
        pytest.skip(
            "worker processes need a database they can open (PostgreSQL or an SQLite "
            "file); this run's SQLite test database is in memory"
        )


@pytest.mark.django_db
def test_worker_count_says_no_where_workers_would_be_wrong_or_wasted(workers, settings):
    in_memory = not shared_database()
    expected = 0 if in_memory else 2
    assert parallel.worker_count(2) == 0  # below PARALLEL_MIN
    assert parallel.worker_count(50, parallel=False) == 0
    # pytest-django runs this test inside a transaction the workers could not see into.
    assert connection.in_atomic_block
    assert parallel.worker_count(50) == 0
    assert parallel.worker_count(50, parallel=True) == expected
    settings.SEARCH_INDEX_WORKERS = 1
    assert parallel.worker_count(50, parallel=True) == 0
    settings.SEARCH_INDEX_WORKERS = 2
    seen = []
    thread = threading.Thread(target=lambda: seen.append(parallel.worker_count(50, True)))
    thread.start()
    thread.join()
    assert seen == [0]  # never fork from a server's request thread


def make_archive(root):
    make = SeminarMaker(root)
    transcript = [
        (
            float(i),
            float(i) + 0.9,
            "Anna Berg" if i % 2 else "Per Ek",
            f"Styrningen av myndigheten del {i}: tillitsbaserad detaljstyrning och uppföljning.",
        )
        for i in range(40)
    ]
    pages = [
        make(
            f"Tillit och styrning {n}",
            lead="Om tillitsdelegationen och NPM.",
            speakers=["Anna Berg", f"Talare {n}"],
            topics=["styrning"],
            series="Frukostseminarier",
            transcript=transcript,
        )
        for n in range(7)
    ]
    make("Utkast om styrning", lead="Inte publicerat.", publish=False)
    return pages


def snapshot():
    entries = sorted(
        SearchEntry.objects.values_list(
            "page_id", "fingerprint", "title", "facet_keys", "text", "data"
        )
    )
    segments = sorted(
        SearchSegment.objects.values_list(
            "entry_id", "start", "end", "speaker", "speaker_slug", "text"
        )
    )
    vocabulary = sorted(SearchWord.objects.values_list("word", "term"))
    return entries, segments, vocabulary


def matches(engine, q):
    from search.engines.base import SearchQuery

    return [(h.page_id, [m.start for m in h.moments]) for h in engine.search(SearchQuery(q=q)).hits]


@pytest.mark.django_db(transaction=True)
def test_workers_prepare_what_one_process_writes(
    wagtail_base_rows, archive_root, workers, monkeypatch
):
    require_shared_database()
    pages = make_archive(archive_root)
    ids = [p.pk for p in pages]
    engine = DatabaseEngine()

    preparers = set()
    store = engine.store_document

    def spy(prepared: PreparedDocument, **kwargs):
        preparers.add(prepared.prepared_by)
        store(prepared, **kwargs)

    monkeypatch.setattr(engine, "store_document", spy)
    assert not connection.in_atomic_block
    assert engine.index_many(ids, parallel=False) == 7
    assert preparers == {os.getpid()}
    alone = snapshot()
    found = matches(engine, "detaljstyrningen")
    assert found and all(moments for _pid, moments in found)

    engine.remove_many(ids)
    SearchWord.objects.all().delete()
    preparers.clear()
    assert engine.index_many(ids) == 7
    assert preparers and os.getpid() not in preparers  # prepared by the workers
    assert snapshot() == alone
    assert matches(engine, "detaljstyrningen") == found

    # A rebuild runs inside its own transaction; the workers read the committed seminars.
    preparers.clear()
    assert engine.rebuild() == 7
    assert preparers and os.getpid() not in preparers
    assert snapshot() == alone
    assert matches(engine, "detaljstyrningen") == found


@pytest.mark.django_db(transaction=True)
def test_a_failing_worker_fails_the_run_and_keeps_the_committed_chunks(
    wagtail_base_rows, archive_root, workers, monkeypatch
):
    require_shared_database()
    pages = make_archive(archive_root)
    last = max(p.pk for p in pages)
    from archive.models import SeminarPage

    # The last seminar cannot be read (its document raises) in the worker that prepares it.
    engine = DatabaseEngine()
    engine.remove_many([p.pk for p in pages])  # publishing indexed them one by one
    monkeypatch.setattr(SeminarPage, "search_document", _failing_for(last))
    with pytest.raises(RuntimeError, match="cannot build"):
        engine.index_many([p.pk for p in pages])
    indexed = set(SearchEntry.objects.values_list("page_id", flat=True))
    # Chunks of two: the first three chunks were written before the fourth failed.
    assert indexed == {p.pk for p in sorted(pages, key=lambda p: p.pk)[:6]}
    with transaction.atomic():  # the connection is still usable
        assert SearchEntry.objects.count() == 6


def _failing_for(page_id):
    from archive.search_document import seminar_search_document

    def search_document(self):
        if self.pk == page_id:
            raise RuntimeError(f"cannot build the document of {page_id}")
        return seminar_search_document(self)

    return search_document
