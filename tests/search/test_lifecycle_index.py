"""The index follows a seminar over its life: where no site serves it, saves that change ``live``
without a signal, and copies.

- A seminar moved into an archive no site serves has no address; it was indexed with ``url`` ""
  (hits pointed at /api/search/), and ``search_index status`` said "in step".
- An autosave that loaded a new seminar before it was published, and saved it after, set it back
  to not live without any signal: search kept showing the unpublished seminar.
- A copied seminar lost its transcript (and the copy's hits their moments).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Site

import search.indexing
from archive.factories import SeminarIndexPageFactory
from archive.models import SeminarPage, Transcript
from tests.search.conftest import run, titles

pytestmark = pytest.mark.django_db

TRANSCRIPT = [
    (0.0, 4.0, "Anna Öberg", "Välkomna till seminariet om kolibrimetoden."),
    (4.0, 9.0, "Anna Öberg", "Metoden prövades först i tre kommuner."),
]


@pytest.fixture
def index_calls(monkeypatch):
    """The page ids of every call of the indexing task's work."""
    calls = []
    real = search.indexing.index_now

    def counting(page_ids):
        calls.append(sorted(page_ids))
        return real(page_ids)

    monkeypatch.setattr(search.indexing, "index_now", counting)
    return calls


def second_archive(**kwargs):
    return SeminarIndexPageFactory(
        parent=Page.get_first_root_node(), title="Andra arkivet", slug="andra", **kwargs
    )


# Where no site serves it -----------------------------------------------------------------------


def test_a_seminar_moved_where_no_site_serves_it_leaves_search(engine, seminar, client):
    page = seminar("Pelikanstyrning i staten", lead="Om pelikanstyrning.")
    assert titles(run(engine, "pelikanstyrning")) == ["Pelikanstyrning i staten"]

    page.move(second_archive(), pos="last-child")

    assert titles(run(engine, "pelikanstyrning")) == []
    if engine.name == "database":
        assert client.get("/api/search/?q=pelikanstyrning").json()["results"] == []
        assert client.get("/api/autocomplete/?q=pelikan").json()["suggestions"] == []


def test_a_site_that_stops_serving_an_archive_takes_its_seminars_out(engine, seminar):
    other = second_archive()
    site = Site.objects.create(hostname="andra.example", port=80, root_page=other)
    page = seminar("Pelikanstyrning i staten", lead="Om pelikanstyrning.", parent=other)
    assert page.get_url() and titles(run(engine, "pelikanstyrning")) == [page.title]

    site.delete()

    assert titles(run(engine, "pelikanstyrning")) == []


def test_status_reports_an_indexed_seminar_no_site_serves_any_more(engine, seminar, archive_root):
    other = second_archive()
    site = Site.objects.create(hostname="andra.example", port=80, root_page=other)
    page = seminar("Pelikanstyrning i staten", parent=other)
    assert engine.status()["ok"]

    Site.objects.filter(pk=site.pk).update(root_page=archive_root)  # no signal

    status = engine.status()
    assert status["extra"] == [page.pk] and not status["ok"]
    out = io.StringIO()
    call_command("search_index", "update", stdout=out)
    assert titles(run(engine, "pelikanstyrning")) == []
    assert engine.status()["ok"]


# Saves that change live without a signal -----------------------------------------------------


def test_a_seminar_saved_as_not_live_leaves_search(engine, seminar):
    page = seminar("Zebrafinkar i förvaltningen", lead="Om zebrafinkar.")
    assert titles(run(engine, "zebrafinkar")) == [page.title]

    page.live = False
    page.save()  # no page_unpublished

    assert titles(run(engine, "zebrafinkar")) == []


def test_a_seminar_saved_as_a_plain_page_leaves_search_too(engine, seminar):
    page = seminar("Zebrafinkar i förvaltningen", lead="Om zebrafinkar.")

    plain = Page.objects.get(pk=page.pk)
    plain.live = False
    plain.save()

    assert titles(run(engine, "zebrafinkar")) == []


def test_an_autosave_after_the_publish_leaves_no_unpublished_seminar_in_search(engine, seminar):
    """The review's race: the autosave request loaded the new page (not live) before the
    publish and saved the whole page row after it (Wagtail saves a page that is not live with
    its draft)."""
    page = seminar("Zebrafinkar i förvaltningen", lead="Om zebrafinkar.", publish=False)
    loaded_by_autosave = SeminarPage.objects.get(pk=page.pk)
    page.save_revision().publish()
    assert titles(run(engine, "zebrafinkar")) == [page.title]

    loaded_by_autosave.save()

    assert not SeminarPage.objects.get(pk=page.pk).live
    assert titles(run(engine, "zebrafinkar")) == []


def test_a_save_that_makes_a_seminar_live_indexes_it_once_committed(
    engine, seminar, django_capture_on_commit_callbacks, index_calls
):
    page = seminar("Zebrafinkar i förvaltningen", lead="Om zebrafinkar.", publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        page.live = True
        page.save()  # no page_published

    assert titles(run(engine, "zebrafinkar")) == [page.title]
    index_calls.clear()
    other = seminar("Kolibrier i kommunerna", publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        other.save_revision().publish()
    assert index_calls == [[other.pk]]  # the publish indexed it; the save did not again


# Copies ----------------------------------------------------------------------------------------


def copy(client, page, parent, slug, **extra):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Kopia", "new_slug": slug, "new_parent_page": str(parent.pk), **extra},
    )


def test_a_copied_seminar_keeps_its_transcript(engine, seminar, archive_root, admin_client):
    page = seminar("Kolibrimetoden", transcript=TRANSCRIPT)
    original = Transcript.objects.get(seminar=page)

    response = copy(admin_client, page, archive_root, "kolibrimetoden-igen", publish_copies="on")

    assert response.status_code == 302
    copied = SeminarPage.objects.get(slug="kolibrimetoden-igen")
    transcript = Transcript.objects.get(seminar=copied)
    assert transcript.pk != original.pk
    assert transcript.review_state == original.review_state
    assert list(
        transcript.segments.values_list("position", "start", "end", "speaker_name", "text")
    ) == list(original.segments.values_list("position", "start", "end", "speaker_name", "text"))
    assert list(original.segments.values_list("text", flat=True))  # the original keeps its own
    results = run(engine, "tre kommuner")
    assert sorted(titles(results)) == ["Kolibrimetoden", "Kopia"]
    assert all(hit.has_transcript for hit in results.hits)


def test_copying_an_archive_with_its_seminars_copies_their_transcripts(
    seminar, archive_root, admin_client
):
    page = seminar("Kolibrimetoden", transcript=TRANSCRIPT)
    seminar("Utan utskrift")

    response = copy(
        admin_client, archive_root, Page.get_first_root_node(), "arkivkopia", copy_subpages="on"
    )

    assert response.status_code == 302
    copy_root = Page.objects.get(slug="arkivkopia")
    copied = SeminarPage.objects.child_of(copy_root).get(slug=page.slug)
    assert copied.pk != page.pk
    assert Transcript.objects.get(seminar=copied).segments.count() == len(TRANSCRIPT)
    assert (
        Transcript.objects.filter(seminar__in=SeminarPage.objects.child_of(copy_root)).count() == 1
    )
