"""Preparing many seminars for the database engine in worker processes.

Indexing a seminar is mostly Python work that needs no write access: reading the seminar and its
transcript, building the search document, splitting, stemming and folding every segment. A bulk
run (an import, ``search_index rebuild``) hands that work, a chunk of seminars at a time, to
forked worker processes and writes the results in this process as they arrive, so reading and
analysing overlap with writing and use every core. The database stays single-writer (SQLite).

Workers are used only where that is safe and pays: enough seminars (``PARALLEL_MIN``),
``SEARCH_INDEX_WORKERS`` >= 2, ``fork`` available, the main thread (never from a server's
request thread), a database other processes can open (not in-memory SQLite), and no open
transaction of the caller's, whose changes the workers could not see (``rebuild`` opens its own
around the index tables only and says so with ``parallel=True``). Otherwise this process does the
same work itself, chunk by chunk, with the same results.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Iterator
from itertools import islice
from multiprocessing import util

from django.conf import settings
from django.db import connection

#: Below this many seminars, starting workers costs more than it saves.
PARALLEL_MIN = 100
#: Chunks each worker may have prepared ahead of the writer.
AHEAD = 2

_inherited: list = []


def worker_count(total: int, parallel: bool | None = None) -> int:
    """How many worker processes should prepare ``total`` seminars (0: this process alone).

    ``parallel``: False never; None when safe and worthwhile; True also inside the caller's
    transaction (the caller vouches that the seminars themselves are committed)."""
    workers = int(getattr(settings, "SEARCH_INDEX_WORKERS", 0) or 0)
    if parallel is False or workers < 2 or total < PARALLEL_MIN:
        return 0
    if parallel is None and connection.in_atomic_block:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if threading.current_thread() is not threading.main_thread():
        return 0
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return 0
    return workers


def prepare_chunk(page_ids: list[int]) -> list:
    """The PreparedDocument of each of these seminars, in id order (runs in a worker or here)."""
    from archive.models import SeminarPage
    from search.engines.database import prepare_document

    pages = (
        SeminarPage.objects.filter(pk__in=page_ids).select_related("series", "venue").order_by("pk")
    )
    return [prepare_document(page.search_document()) for page in pages]


def prepared_documents(chunks: list[list[int]], parallel: bool | None = None) -> Iterator[list]:
    """For each chunk of seminar ids, in order, the list of its prepared documents."""
    workers = worker_count(sum(len(c) for c in chunks), parallel)
    if not workers:
        for chunk in chunks:
            yield prepare_chunk(chunk)
        return
    pool = multiprocessing.get_context("fork").Pool(
        min(workers, len(chunks)), initializer=_start_worker
    )
    finished = False
    try:
        # At most AHEAD chunks per worker prepared and not yet written: the writer is the slower
        # side, and an unbounded queue of prepared transcripts would grow without limit.
        waiting = iter(chunks)
        pending = deque(
            pool.apply_async(prepare_chunk, (chunk,)) for chunk in islice(waiting, workers * AHEAD)
        )
        while pending:
            prepared = pending.popleft().get()
            for chunk in islice(waiting, 1):
                pending.append(pool.apply_async(prepare_chunk, (chunk,)))
            yield prepared
        finished = True
    finally:
        if finished:
            pool.close()  # workers exit normally and close their database connections
        else:
            pool.terminate()
        pool.join()


def _start_worker() -> None:
    """In a new worker: leave the database connections inherited from the parent alone (using
    or closing them would disturb the parent's session) and open this process's own. A handler
    the parent installed for SIGTERM (a server's graceful stop) must not keep ``terminate`` from
    stopping the worker."""
    from asgiref.local import Local
    from django.db import connections

    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    _inherited.append(connections._connections)  # kept, never touched, never garbage-collected
    connections._connections = Local(connections.thread_critical)
    util.Finalize(None, connections.close_all, exitpriority=10)
