"""Editing or deleting a speaker, series or venue re-indexes the public seminars that name it.

A seminar's search document holds its speakers' names, slugs and biographies, its series and its
venue; an edit of one of those snippets in the admin must reach hits, facets and filters at once,
without republishing every seminar (QA D1). Run against every available engine.
"""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

import search.indexing
from archive.factories import SpeakerFactory, VenueFactory
from archive.models import SeminarPage, Series, Speaker
from archive.signals import bulk_changes
from tests.search.conftest import run, titles


def facet(results, name) -> dict[str, str]:
    return {v.value: v.label for v in results.facets.get(name, [])}


def test_a_renamed_speaker_is_found_and_shown_by_the_new_name(engine, seminar):
    speaker = SpeakerFactory(name="Ahmed Karimi", slug="ahmed-karimi", bio="Forskar om styrning.")
    seminar("AI i handläggningen", lead="Om automatiserade beslut.", speakers=[speaker])
    speaker.name = "Ahmed Karimi-Zorro"
    speaker.bio = "Spelar i en xylofonkvartett."
    speaker.save()

    assert titles(run(engine, "Zorro")) == ["AI i handläggningen"]
    assert titles(run(engine, "xylofonkvartett")) == ["AI i handläggningen"]
    hit = run(engine, "Karimi").hits[0]
    assert [s["name"] for s in hit.speakers] == ["Ahmed Karimi-Zorro"]
    assert facet(run(engine, ""), "speaker") == {"ahmed-karimi": "Ahmed Karimi-Zorro"}


def test_a_new_speaker_slug_filters_and_is_offered_by_the_facet(engine, seminar):
    speaker = SpeakerFactory(name="Ahmed Karimi", slug="ahmed-karimi")
    seminar("AI i handläggningen", lead="Om automatiserade beslut.", speakers=[speaker])
    speaker.slug = "ahmed-karimi-zorro"
    speaker.save()

    assert titles(run(engine, speaker="ahmed-karimi-zorro")) == ["AI i handläggningen"]
    assert run(engine, speaker="ahmed-karimi").total == 0
    assert set(facet(run(engine, "handläggningen"), "speaker")) == {"ahmed-karimi-zorro"}
    assert run(engine, "handläggningen").hits[0].speakers[0]["slug"] == "ahmed-karimi-zorro"


def test_a_deleted_series_leaves_the_facet_and_the_hits(engine, seminar):
    first = seminar("Digital förvaltning ett", lead="Om digital förvaltning.", series="Webbinarier")
    series = first.series
    second = seminar("Digital förvaltning två", lead="Om digital förvaltning.")
    second.series = series
    second.save_revision().publish()
    assert facet(run(engine, "digital"), "series") == {series.slug: "Webbinarier"}

    series.delete()

    results = run(engine, "digital")
    assert results.total == 2
    assert facet(results, "series") == {}
    assert [hit.series for hit in results.hits] == [None, None]
    assert run(engine, series=series.slug).total == 0


def test_a_renamed_series_and_a_moved_venue_are_searched_as_they_are_now(engine, seminar):
    venue = VenueFactory(name="Folkets hus", city="Umeå")
    page = seminar("Regionerna", lead="Om regionerna.", series="Gamla namnet", venue=venue)
    series = page.series
    series.name = "Kommunerna i samtal"
    series.save()
    venue.city = "Kiruna"
    venue.save()

    assert facet(run(engine, "regionerna"), "series") == {series.slug: "Kommunerna i samtal"}
    assert titles(run(engine, "Kiruna")) == ["Regionerna"]
    assert run(engine, "Umeå").total == 0


def test_drafts_and_private_seminars_naming_the_snippet_stay_out(engine, seminar, archive_root):
    speaker = SpeakerFactory(name="Tova Tillberg")
    public = seminar("Öppet seminarium", lead="x", speakers=[speaker])
    seminar("Utkast", lead="x", speakers=[speaker], publish=False)
    private = seminar("Internt", lead="x", speakers=[speaker])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert titles(run(engine, "Tillberg")) == ["Öppet seminarium"]

    speaker.name = "Tova Tillberg-Ek"
    speaker.save()

    assert titles(run(engine, "Tillberg-Ek")) == ["Öppet seminarium"]
    assert run(engine, "Utkast").total == 0
    assert run(engine, "Internt").total == 0
    assert search.indexing.snippet_seminar_ids(speaker) == [public.pk]


def test_an_unsaved_or_unused_snippet_indexes_nothing(engine, seminar, monkeypatch):
    calls = []
    monkeypatch.setattr(search.indexing, "index_now", lambda ids: calls.append(ids) or 0)
    speaker = SpeakerFactory(name="Ingen Alls")
    speaker.bio = "Finns på inget seminarium."
    speaker.save()
    Series.objects.create(name="Tom serie").delete()
    assert calls == []


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


def test_snippet_edits_in_a_bulk_operation_index_once_at_the_end(engine, seminar, index_calls):
    speakers = [SpeakerFactory(name=f"Talare {n}") for n in range(3)]
    pages = [seminar(f"Seminarium {n}", lead="x", speakers=[speakers[n]]) for n in range(3)]
    index_calls.clear()
    with bulk_changes():
        for speaker in speakers:
            speaker.bio = "Uppdaterad biografi om vattenförsörjning."
            speaker.save()
        assert index_calls == []
        assert run(engine, "vattenförsörjning").total == 0
    assert index_calls == [sorted(p.pk for p in pages)]
    assert run(engine, "vattenförsörjning").total == 3


def test_an_import_that_completes_biographies_indexes_once(
    engine, seminar, index_calls, tmp_path, settings
):
    speakers = [SpeakerFactory(name=f"Talare {n}", bio="") for n in range(3)]
    pages = [seminar(f"Äldre {n}", lead="x", speakers=[speakers[n]]) for n in range(3)]
    records = [
        {
            "id": f"nytt-{n}",
            "title": f"Nytt {n}",
            "start": f"2019-03-{n + 1:02d}T09:00",
            "speakers": [{"name": f"Talare {n}", "bio": "Expert på vattenförsörjning."}],
        }
        for n in range(3)
    ]
    path = tmp_path / "seminars.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    index_calls.clear()

    call_command("import_seminars", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert Speaker.objects.filter(bio="Expert på vattenförsörjning.").count() == 3
    imported = SeminarPage.objects.filter(slug__startswith="nytt-").values_list("pk", flat=True)
    assert index_calls == [sorted([p.pk for p in pages] + list(imported))]
    assert run(engine, "vattenförsörjning").total == 6
