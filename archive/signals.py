"""Signals the archive sends about its seminars, for listeners such as the search indexer.

``archive`` never imports search engines. Per-page work (indexing on publish) is done by listeners
to Wagtail's page signals; bulk operations such as the importer wrap their work in
``bulk_changes()`` so that listeners skip per-page work and receive one ``seminars_changed`` with
every affected page id at the end.
"""

import contextvars
from contextlib import contextmanager

from django.dispatch import Signal

#: Sent with ``page_ids`` (a set of SeminarPage ids whose public state may have changed).
seminars_changed = Signal()

_bulk: contextvars.ContextVar[set | None] = contextvars.ContextVar("bulk_changes", default=None)


def in_bulk() -> bool:
    return _bulk.get() is not None


def note_changed(page_id: int) -> bool:
    """Record ``page_id`` for the end of the current bulk operation; False when not in one."""
    pending = _bulk.get()
    if pending is None:
        return False
    pending.add(page_id)
    return True


@contextmanager
def bulk_changes():
    """Collect changed page ids; send one ``seminars_changed`` when the block ends (even on error,
    for the pages that were written)."""
    if in_bulk():
        yield _bulk.get()
        return
    pending: set[int] = set()
    token = _bulk.set(pending)
    try:
        yield pending
    finally:
        _bulk.reset(token)
        if pending:
            seminars_changed.send(sender=None, page_ids=set(pending))
