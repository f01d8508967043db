"""/api/series/<slug>/ and /api/speakers/<slug>/ give their seminars a page at a time, with the
count and a link to /api/seminars/ filtered by them (scale review 3: a series of 600 seminars
answered 743 KB in a second, every seminar at once)."""

import datetime as dt

import pytest
from django.utils import timezone

from archive.api import DETAIL_PAGE_SIZE
from archive.factories import SeminarPageFactory, SeriesFactory, SpeakerFactory
from archive.models import SeminarSpeaker

pytestmark = pytest.mark.django_db

N = DETAIL_PAGE_SIZE + 3


@pytest.fixture
def big(archive_root):
    """A series of N public seminars (and a draft), a speaker on all of them, a moderator on
    the first N - 1."""
    series = SeriesFactory(name="Storserien", slug="storserien")
    speaker = SpeakerFactory(name="Stina Talare", slug="stina-talare")
    moderator = SpeakerFactory(name="Moa Moderator", slug="moa-moderator")
    start = timezone.now() - dt.timedelta(days=500)
    pages = []
    for i in range(N + 1):
        page = SeminarPageFactory(
            parent=archive_root,
            title=f"Seminarium {i}",
            slug=f"seminarium-{i}",
            series=series,
            start=start + dt.timedelta(days=i),
        )
        SeminarSpeaker.objects.create(page=page, speaker=speaker, role="speaker", sort_order=0)
        if i < N - 1:
            SeminarSpeaker.objects.create(
                page=page, speaker=moderator, role="moderator", sort_order=1
            )
        pages.append(page)
    pages[-1].unpublish()  # a draft: neither listed nor counted
    return pages[:N]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def newest_first(pages):
    return [p.slug for p in sorted(pages, key=lambda p: p.start, reverse=True)]


@pytest.mark.parametrize(
    "url, filtered",
    [
        ("/api/series/storserien/", "series=storserien"),
        ("/api/speakers/stina-talare/", "speaker=stina-talare"),
    ],
)
def test_a_series_or_speaker_lists_its_seminars_a_page_at_a_time(client, big, url, filtered):
    first = get_json(client, url)
    assert first["seminar_count"] == N
    assert (first["page"], first["page_size"], first["num_pages"]) == (1, DETAIL_PAGE_SIZE, 2)
    assert [s["slug"] for s in first["seminars"]] == newest_first(big)[:DETAIL_PAGE_SIZE]
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{url}?page=2"
    second = get_json(client, first["next"])
    assert [s["slug"] for s in second["seminars"]] == newest_first(big)[DETAIL_PAGE_SIZE:]
    assert second["next"] is None and second["previous"] == f"http://testserver{url}?page=1"
    # The whole list, with the filters and paging of /api/seminars/.
    assert first["seminars_url"] == f"http://testserver/api/seminars/?{filtered}"
    listed = get_json(client, first["seminars_url"] + "&page_size=100")
    assert listed["count"] == N
    assert {s["slug"] for s in listed["results"]} == {p.slug for p in big}
    # A page past the last, or not a page, is a 400 as on the lists; so is a parameter the
    # answer does not take.
    assert get_json(client, f"{url}?page=3", status=400)["parameter"] == "page"
    assert get_json(client, f"{url}?page=x", status=400)["parameter"] == "page"
    assert get_json(client, f"{url}?year=2024", status=400)["parameter"] == "year"
    assert get_json(client, f"{url}?hl=en")["page"] == 1


def test_a_moderators_answer_lists_what_they_moderated(client, big):
    """The list of /api/seminars/?speaker= finds those who speak; the answer's own pages list
    every seminar they took part in, as it did."""
    moderator = get_json(client, "/api/speakers/moa-moderator/")
    assert moderator["seminar_count"] == N - 1
    assert len(moderator["seminars"]) == DETAIL_PAGE_SIZE
    rest = get_json(client, moderator["next"])["seminars"]
    assert [s["slug"] for s in moderator["seminars"] + rest] == newest_first(big[: N - 1])


def test_the_schema_documents_the_pages(client):
    schemas = get_json(client, "/api/schema/")["components"]["schemas"]
    for name in ("SpeakerDetail", "SeriesDetail"):
        fields = set(schemas[name]["properties"])
        assert {"seminars", "seminar_count", "page", "num_pages", "next", "seminars_url"} <= fields


@pytest.mark.parametrize(
    "url, filtered",
    [
        ("/api/series/storserien/", "series=storserien"),
        ("/api/speakers/stina-talare/", "speaker=stina-talare"),
    ],
)
def test_the_whole_list_link_keeps_the_answers_language(client, big, url, filtered):
    """``hl`` sets the language of an answer's links: ``next`` kept it, ``seminars_url`` did
    not (fresh-features review 2)."""
    answer = get_json(client, f"{url}?hl=en")
    assert "hl=en" in answer["next"]
    assert answer["seminars_url"] == f"http://testserver/api/seminars/?{filtered}&hl=en"
    listed = get_json(client, answer["seminars_url"])
    assert listed["count"] == N
