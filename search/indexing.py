"""Keeping the search indexes in step with what the public may see.

Listeners (connected in ``search.apps``) react to Wagtail's publish, unpublish, move and delete
signals, to view restrictions, to sites' root pages (a seminar no site serves is not public), to
transcripts, to slide text and to the speakers, series and venues the seminars name (their names,
slugs, biographies and places are in every seminar's search document); to a plain page save only
when it changes the seminar's ``live`` (indexing every save would index drafts). The work runs
through django-tasks (immediately in dev and tests, by a worker in production). During a bulk import
(``archive.signals.bulk_changes``) listeners only note the page ids, and the one
``seminars_changed`` signal at the end indexes them all in one task.

Every write goes to the database engine (the fallback must stay current) and, when configured, to
Elasticsearch; an Elasticsearch that is down is logged and skipped (``search_index update`` catches
up), it never breaks publishing.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Max
from django_tasks import task

from archive.signals import in_bulk, note_changed

logger = logging.getLogger(__name__)


def _each_engine(action: str, call) -> None:
    from search.engines import engine_errors, write_engines

    for engine in write_engines():
        try:
            call(engine)
        except engine_errors() as exc:
            if engine.name == "database":
                raise
            logger.warning(
                "Search engine %s could not %s (run 'manage.py search_index "
                "update' when it is back): %s",
                engine.name,
                action,
                exc,
            )


def index_now(page_ids) -> int:
    """Index the given seminars in every engine (public ones) or remove them (the rest)."""
    from archive.models import SeminarPage

    page_ids = sorted({int(pid) for pid in page_ids})
    if not page_ids:
        return 0
    pages = list(SeminarPage.objects.filter(pk__in=page_ids))
    found = {p.pk for p in pages}
    gone = [pid for pid in page_ids if pid not in found]
    counts = []

    def work(engine):
        for pid in gone:
            engine.remove(pid)
        counts.append(engine.index_many(pages))

    _each_engine("index", work)
    return counts[0] if counts else 0


def remove_now(page_ids) -> None:
    page_ids = sorted({int(pid) for pid in page_ids})

    def work(engine):
        for pid in page_ids:
            engine.remove(pid)

    _each_engine("remove", work)


@task()
def index_seminars(page_ids: list[int]) -> int:
    """Background task: bring these seminars' index entries up to date."""
    return index_now(page_ids)


@task()
def remove_seminars(page_ids: list[int]) -> None:
    remove_now(page_ids)


def schedule(page_ids) -> None:
    """Index ``page_ids`` now-ish, or note them for the end of the current bulk operation."""
    page_ids = sorted({int(pid) for pid in page_ids if pid})
    if not page_ids:
        return
    if in_bulk():
        for pid in page_ids:
            note_changed(pid)
        return
    index_seminars.enqueue(page_ids)


def seminar_ids_below(page, inclusive: bool = True) -> list[int]:
    """Ids of the seminars at or below ``page`` (any Wagtail page)."""
    from archive.models import SeminarPage

    return list(
        SeminarPage.objects.descendant_of(page, inclusive=inclusive).values_list("pk", flat=True)
    )


# Signal receivers ------------------------------------------------------------------------------


def on_page_published(sender, instance, **kwargs):
    instance.__dict__.pop(_LIVE_PENDING, None)  # indexed here, not again at the commit
    schedule([instance.pk])


def on_page_unpublished(sender, instance, **kwargs):
    schedule([instance.pk])


def on_page_moved(sender, instance, **kwargs):
    schedule(seminar_ids_below(instance))


#: Attributes of a page being saved: its ``live`` in the database before the save, and (between
#: the save and the commit) that a save made it live without a publish yet.
_LIVE_BEFORE = "_search_live_before"
_LIVE_PENDING = "_search_live_pending"


def _is_seminar(instance) -> bool:
    from archive.models import SeminarPage

    return instance.pk is not None and instance.specific_class is SeminarPage


def on_page_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a seminar's save that may change ``live``: note what the database holds."""
    instance.__dict__.pop(_LIVE_BEFORE, None)  # left by a save that failed
    if raw or (update_fields is not None and "live" not in update_fields):
        return
    if not _is_seminar(instance):
        return
    from wagtail.models import Page

    before = Page.objects.filter(pk=instance.pk).values_list("live", flat=True).first()
    instance.__dict__[_LIVE_BEFORE] = before


def on_page_saved(sender, instance, created=False, raw=False, **kwargs):
    """A save that changed a seminar's ``live``: the index follows, signal or not.

    Wagtail's publish and unpublish send their own signals, but a plain save does not: in the
    admin an autosave that loaded the page before a publish and saved it after one set ``live``
    back to False, and search kept showing the unpublished seminar. Taken off: reindexed at
    once (the indexer removes what is not public and reads nothing of it). Made live: indexed
    at the commit, once the save has also written the speakers, slides and topics (modelcluster
    writes them after ``post_save``), unless a publish signal has indexed it by then."""
    before = instance.__dict__.pop(_LIVE_BEFORE, None)
    if created or raw or before is None or bool(before) == bool(instance.live):
        return
    if not instance.live or in_bulk():
        schedule([instance.pk])
        return
    instance.__dict__[_LIVE_PENDING] = True

    def index_if_still_pending():
        if instance.__dict__.pop(_LIVE_PENDING, None):
            schedule([instance.pk])

    transaction.on_commit(index_if_still_pending)


def on_site_saving(sender, instance, raw=False, **kwargs):
    """A site's root page decides which seminars have an address (``archive.models.routable``):
    note its root before the save."""
    if raw or instance.pk is None:
        return
    from wagtail.models import Site

    before = Site.objects.filter(pk=instance.pk).values_list("root_page_id", flat=True).first()
    instance.__dict__["_search_root_before"] = before


def on_site_changed(sender, instance, raw=False, **kwargs):
    """A site added, deleted or given another root page: the seminars under the old and the new
    root may have gained or lost their address."""
    from wagtail.models import Page

    if raw:
        return
    roots = {instance.__dict__.pop("_search_root_before", None), instance.root_page_id}
    if "created" in kwargs and not kwargs["created"] and len(roots) == 1:
        return  # saved, same root (a new hostname or name: addresses are site-relative)
    ids = set()
    for root in Page.objects.filter(pk__in=[pk for pk in roots if pk]):
        ids.update(seminar_ids_below(root))
    schedule(ids)


def on_seminar_deleted(sender, instance, **kwargs):
    if not (in_bulk() and note_changed(instance.pk)):
        remove_seminars.enqueue([instance.pk])


def on_view_restriction_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page was deleted
    if page is not None:
        schedule(seminar_ids_below(page))


def on_transcript_changed(sender, instance, **kwargs):
    schedule([instance.seminar_id])


def on_document_saved(sender, instance, update_fields=None, **kwargs):
    """Slide text (re)extracted: reindex the seminars showing this document."""
    if update_fields is not None and "text_status" not in update_fields:
        return
    from archive.models import SeminarSlide

    schedule(SeminarSlide.objects.filter(document=instance).values_list("page_id", flat=True))


def snippet_seminar_ids(instance) -> list[int]:
    """Public seminars that show ``instance`` (a Speaker, Series or Venue) in their document.

    Only public ones: the rest are not in any index, and indexing them would only remove them."""
    from archive.models import SeminarSpeaker, Series, Speaker, Venue, public_seminars

    if instance.pk is None:
        return []
    seminars = public_seminars()
    if isinstance(instance, Speaker):
        seminars = seminars.filter(
            pk__in=SeminarSpeaker.objects.filter(speaker=instance).values("page_id")
        )
    elif isinstance(instance, Series):
        seminars = seminars.filter(series=instance)
    elif isinstance(instance, Venue):
        seminars = seminars.filter(venue=instance)
    else:
        raise TypeError(f"Not a snippet seminars show: {type(instance).__name__}")
    return list(seminars.values_list("pk", flat=True))


def on_snippet_saved(sender, instance, created=False, raw=False, **kwargs):
    """A speaker, series or venue edited: its public seminars' documents changed."""
    if created or raw:  # a new snippet is on no seminar yet; fixtures load their own index
        return
    schedule(snippet_seminar_ids(instance))


#: Attribute holding, between pre_delete and post_delete, the seminars a deleted snippet was on.
_SEMINARS_OF_DELETED = "_search_seminar_ids"


def on_snippet_deleting(sender, instance, **kwargs):
    """Before the delete: a series or venue is SET_NULL on its seminars, so after it the
    seminars can no longer be found by it."""
    setattr(instance, _SEMINARS_OF_DELETED, snippet_seminar_ids(instance))


def on_snippet_deleted(sender, instance, **kwargs):
    schedule(getattr(instance, _SEMINARS_OF_DELETED, ()))


def on_seminars_changed(sender, page_ids=(), **kwargs):
    """The end of a bulk operation: one task for every page it touched."""
    page_ids = sorted({int(pid) for pid in page_ids})
    if page_ids:
        index_seminars.enqueue(page_ids)


# Drift between an index and the archive ----------------------------------------------------------


def index_drift(engine_name: str, indexed: dict) -> dict:
    """Compare ``indexed`` (page id → time indexed, or None) with the public seminars.

    ``missing``: public but not indexed; ``extra``: indexed but not public (must go);
    ``stale``: changed (published, transcript, slide text) after it was indexed."""
    from archive.models import public_seminars

    rows = (
        public_seminars()
        .annotate(
            transcript_at=Max("transcript__updated_at"),
            slides_at=Max("slides__document__text_extracted_at"),
        )
        .values_list("pk", "title", "last_published_at", "transcript_at", "slides_at")
    )
    titles, stale = {}, []
    for pk, title, *changes in rows:
        titles[pk] = title
        at = indexed.get(pk)
        changed = max((c for c in changes if c), default=None)
        if pk in indexed and at and changed and changed > at:
            stale.append(pk)
    missing = sorted(set(titles) - set(indexed))
    extra = sorted(set(indexed) - set(titles))
    return {
        "engine": engine_name,
        "documents": len(indexed),
        "published": len(titles),
        "missing": missing,
        "stale": sorted(stale),
        "extra": extra,
        "titles": {pk: titles[pk] for pk in missing + sorted(stale)},
        "ok": not (missing or stale or extra),
    }


def connect_signals() -> None:
    """Connect the receivers (called once from ``SearchConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from archive.models import ArchiveDocument, SeminarPage, Series, Speaker, Transcript, Venue
    from archive.signals import seminars_changed

    uid = "search.indexing"
    page_published.connect(on_page_published, sender=SeminarPage, dispatch_uid=f"{uid}.pub")
    page_unpublished.connect(on_page_unpublished, sender=SeminarPage, dispatch_uid=f"{uid}.unpub")
    post_page_move.connect(on_page_moved, dispatch_uid=f"{uid}.move")
    post_delete.connect(on_seminar_deleted, sender=SeminarPage, dispatch_uid=f"{uid}.del")
    for model in (Page, SeminarPage):  # a seminar saved as itself or as a plain Page
        name = model._meta.model_name
        pre_save.connect(on_page_saving, sender=model, dispatch_uid=f"{uid}.{name}.saving")
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"{uid}.{name}.saved")
    pre_save.connect(on_site_saving, sender=Site, dispatch_uid=f"{uid}.site.saving")
    post_save.connect(on_site_changed, sender=Site, dispatch_uid=f"{uid}.site.saved")
    post_delete.connect(on_site_changed, sender=Site, dispatch_uid=f"{uid}.site.del")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}.restrict.{id(signal)}",
        )
        signal.connect(
            on_transcript_changed, sender=Transcript, dispatch_uid=f"{uid}.transcript.{id(signal)}"
        )
    post_save.connect(on_document_saved, sender=ArchiveDocument, dispatch_uid=f"{uid}.doc")
    for model in (Speaker, Series, Venue):
        name = model._meta.model_name
        post_save.connect(on_snippet_saved, sender=model, dispatch_uid=f"{uid}.{name}.save")
        pre_delete.connect(on_snippet_deleting, sender=model, dispatch_uid=f"{uid}.{name}.pre")
        post_delete.connect(on_snippet_deleted, sender=model, dispatch_uid=f"{uid}.{name}.del")
    seminars_changed.connect(on_seminars_changed, dispatch_uid=f"{uid}.bulk")
