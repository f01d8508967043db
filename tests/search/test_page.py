"""The search page: a GET form that works without JavaScript, in Swedish and English."""

import re

import pytest
from django.utils import translation

from archive.factories import SpeakerFactory
from archive.models import Speaker
from search.models import SearchLog
from tests.search.conftest import SeminarMaker


@pytest.fixture
def seminars(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    anna = SpeakerFactory(name="Anna Andersson")
    pages = [
        make(
            f"Styrning del {i}",
            lead="Om styrning i staten.",
            series="Forum",
            speakers=[anna],
            transcript=[(65, 70, "Anna Andersson", "Styrning igen.")],
        )
        for i in range(1, 4)
    ]
    make("Digitalisering", lead="Om digitalisering.", series="Dagen")
    return pages


def test_search_page_lists_hits_with_moments_and_is_not_indexed(client, seminars):
    response = client.get("/sok/", {"q": "styrning"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "Styrning del 1" in html and "Digitalisering" not in html
    assert f'href="{seminars[0].url}?t=65"' in html
    assert "1:05" in html
    assert "<mark>Styrning</mark>" in html
    assert 'name="q" value="styrning"' in html
    assert 'src="/static/js/autocomplete.js"' in html
    assert "<script>" not in html.replace(" ", "")  # no inline scripts


def test_facet_links_toggle_filters(client, seminars):
    html = client.get("/sok/").content.decode()  # browse mode offers every series
    assert 'href="?series=forum"' in html and 'href="?series=dagen"' in html
    response = client.get("/sok/", {"q": "styrning", "series": "forum"})
    html = response.content.decode()
    assert 'aria-current="true"' in html
    assert 'href="?q=styrning"' in html  # deselecting goes back to the unfiltered search
    assert "Forum" in html and "(3)" in html


def test_pagination_links(client, seminars):
    html = client.get("/sok/", {"q": "styrning", "page_size": "2"}).content.decode()
    assert 'rel="next" href="?q=styrning&amp;page_size=2&amp;page=2"' in html
    html = client.get("/sok/", {"q": "styrning", "page_size": "2", "page": "2"}).content.decode()
    assert "Styrning del 3" not in html or "Styrning del 1" not in html
    assert 'rel="prev"' in html


def test_did_you_mean_link(client, seminars):
    html = client.get("/sok/", {"q": "digitaliserng"}).content.decode()
    assert 'href="?q=digitalisering"' in html


def test_english_page_and_swedish_url(client, seminars):
    url = seminars[0].url
    assert client.get("/en/search/", {"q": "styrning"}).status_code == 200
    html = client.get("/en/search/", {"q": "styrning"}).content.decode()
    assert "Search the archive" in html
    assert f'href="/en{url}"' in html
    assert client.get("/sok/").status_code == 200
    assert "Sök i arkivet" in client.get("/sok/").content.decode()


def test_swedish_content_is_marked_as_swedish_on_the_english_page(client, seminars):
    """Screen readers read a hit's title, snippet and moments in the seminar's language, the
    interface around them in the page's (WCAG 3.1.2)."""
    html = client.get("/en/search/", {"q": "styrning"}).content.decode()
    assert '<html lang="en"' in html
    assert re.search(r'<h3 class="search-hit__title" lang="sv"><a [^>]*>Styrning del 1<', html)
    assert '<p class="search-hit__snippet" lang="sv">' in html
    assert '<ul class="search-moments" lang="sv">' in html
    assert re.search(r'<h4 class="search-hit__subhead">Said in the recording</h4>', html)


def test_bad_parameter_shows_a_message(client, seminars):
    response = client.get("/sok/", {"q": "styrning", "sort": "random"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_bad_parameter_is_reported_and_left_out_and_the_rest_still_applies(client, seminars):
    """A bad page number once threw the query away but kept the series as a hidden field, so
    the next search was filtered by a series the page did not show."""
    series = seminars[0].series.slug
    response = client.get("/sok/", {"q": "styrning", "series": series, "page": "abc"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html and "abc" in html
    assert 'value="styrning"' in html  # the search box keeps the query
    assert f'<input type="hidden" name="series" value="{series}">' in html
    assert 'aria-current="true"' in html  # ... and the series filter shows as selected
    main = html[html.index("<main") :]
    assert 'name="page"' not in main and "page=abc" not in main
    bad_q = client.get("/sok/", {"q": "x" * 1000, "series": "ingen-sådan"})
    assert bad_q.status_code == 400
    assert 'value="xxxx' not in bad_q.content.decode()


def test_a_page_past_the_end_leads_back_and_browsing_says_newest_first(client, seminars):
    html = client.get("/sok/", {"q": "styrning", "page": "99"}).content.decode()
    assert "Träffarna slutar på sida 1." in html
    assert 'href="?q=styrning&amp;page=1">Gå till sista sidan' in html
    # Without words the list is newest first and a note beside the sort menu says so. The menu
    # itself keeps "relevance": it goes with the next search, which selecting "newest" here
    # sorted by date (the first search typed on /sok/ came out newest first).
    for params in ({}, {"series": seminars[0].series.slug}):
        html = client.get("/sok/", params).content.decode()
        assert '<option value="relevance" selected>' in html
        assert '<option value="newest" selected>' not in html
        assert 'aria-describedby="search-sort-note"' in html and 'id="search-sort-note"' in html
    html = client.get("/sok/", {"q": "styrning"}).content.decode()
    assert '<option value="relevance" selected>' in html and "search-sort-note" not in html
    html = client.get("/sok/", {"sort": "oldest"}).content.decode()
    assert '<option value="oldest" selected>' in html and "search-sort-note" not in html


def test_nav_links_to_search(client, seminars):
    html = client.get("/").content.decode()
    assert 'href="/sok/"' in html


def test_empty_search_is_not_logged_but_searches_are(client, seminars):
    client.get("/sok/")
    client.get("/sok/", {"q": "finnsinte"})
    assert list(SearchLog.objects.values_list("query", "results")) == [("finnsinte", 0)]


def test_the_date_fields_narrow_the_results_and_keep_their_values(client, seminars):
    import datetime as dt

    from django.utils import timezone

    old = seminars[0]
    old.start = timezone.make_aware(dt.datetime(2019, 5, 16, 8, 0))
    old.save_revision().publish()
    html = client.get("/sok/", {"q": "styrning", "to": "2019"}).content.decode()
    assert "Styrning del 1" in html and "Styrning del 2" not in html
    # The form shows the days the search used; they are not repeated as hidden fields.
    assert 'name="to" value="2019-12-31"' in html and 'name="from" value=""' in html
    assert 'type="hidden" name="to"' not in html
    assert 'min="1900-01-01" max="2100-12-31"' in html  # what the parameters accept
    # Facet links keep the dates.
    assert "to=2019" in html
    html = client.get("/sok/", {"q": "styrning", "from": "2020-01-01"}).content.decode()
    assert "Styrning del 1" not in html and "Styrning del 2" in html
    response = client.get("/sok/", {"q": "styrning", "from": "2020-02-30"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "from must be a date (2024-03-31)" in html or "from måste vara ett datum" in html
    assert "Styrning del 2" in html  # the rest still applies
    # The message is tied to the field it is about.
    assert 'id="search-error"' in html
    assert re.search(
        r'id="search-from"[^>]*aria-invalid="true" aria-describedby="search-error"', html
    )
    assert not re.search(r'id="search-to"[^>]*aria-invalid', html)
    log = SearchLog.objects.filter(query="styrning", filters__contains="to=2019-12-31")
    assert log.exists()


def test_the_page_offers_exports_of_the_search_as_shown(client, seminars):
    """The search page had no link to the CSV/JSON exports, which take the same parameters."""
    from django.utils import translation

    html = client.get(
        "/sok/",
        {"q": "styrning", "series": "forum", "sort": "oldest", "page": "2", "page_size": "2"},
    ).content.decode()
    # Every page (no page, no page size), in the page's language (the API has no /en/ prefix).
    query = "q=styrning&amp;series=forum&amp;sort=oldest&amp;hl=sv"
    assert f'href="/api/search/export.csv?{query}"' in html
    assert f'href="/api/search/export.json?{query}"' in html
    with translation.override("en"):  # (the Swedish wording comes with the .po update)
        html = client.get("/en/search/", {"q": "styrning", "hl": "sv"}).content.decode()
    assert (
        '<a href="/api/search/export.csv?q=styrning&amp;hl=en" type="text/csv" download>'
        "Export CSV</a>" in html
    )
    assert 'href="/api/search/export.json?q=styrning&amp;hl=en"' in html
    empty = client.get("/sok/", {"q": "xqzvw"}).content.decode()
    assert "/api/search/export.csv" not in empty  # nothing to export


def test_hits_name_the_moderator_apart_and_date_only_seminars_by_date(
    client, archive_root, settings
):
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    make(
        "Lärande tillsyn",
        lead="Om tillsyn.",
        speakers=["Maria Lindqvist", (SpeakerFactory(name="Peter Öhman"), "moderator")],
        time_known=False,
    )
    html = client.get("/sok/", {"q": "tillsyn"}).content.decode()
    speakers = re.search(r'<p class="search-hit__speakers">(.*?)</p>', html).group(1)
    assert "Maria Lindqvist" in speakers and "Öhman" not in speakers
    assert '<p class="search-hit__moderator">Moderator: Peter Öhman</p>' in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">', html)  # the date, no clock time
    # The speaker filter counts those who speak: a moderator selected there (a link from the
    # archive listing's menu) is named, not shown as a slug; a draft-only person stays a slug.
    moderator = Speaker.objects.get(name="Peter Öhman")
    hidden = SpeakerFactory(name="Hemlig Person")
    make("Utkast", lead="Om tillsyn.", speakers=[hidden], publish=False)
    for slug, label in ((moderator.slug, "Peter Öhman"), (hidden.slug, hidden.slug)):
        html = client.get("/sok/", {"speaker": slug}).content.decode()
        facet = html[html.index('class="search-facets"') :]
        assert f'{label} <span class="facet__count">(0)</span>' in facet, slug
        assert "Hemlig Person" not in html
        api = client.get("/api/search/", {"speaker": slug}).json()["facets"]["speaker"]
        assert {"value": slug, "label": label, "count": 0, "selected": True} in api


def test_the_log_keeps_every_filter_so_a_filtered_miss_is_no_content_gap(client, seminars):
    """The editors' report of searches without results leaves out filtered searches; a search
    narrowed only by "has video" or "has transcript" was logged as if unfiltered."""
    client.get("/sok/", {"q": "styrning", "has_video": "true"})
    client.get("/sok/", {"q": "styrning", "has_transcript": "false", "lang": "en"})
    assert sorted(SearchLog.objects.values_list("filters", flat=True)) == [
        "has_video=true",
        "lang=en&has_transcript=false",
    ]


def test_an_unknown_compound_that_finds_nothing_is_searched_by_its_parts(
    client, archive_root, settings
):
    """ "detaljstyrning" is in no text, but a seminar says "detaljstyra" and "styrning": the
    database engine searches the compound's parts when the word itself finds nothing, and says
    so. A word the archive knows is never split, nor a compound of one known part."""
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    make("Kommunen släpper taget", lead="När kommunen slutar detaljstyra blir styrning tillit.")
    make("Budget och styrning", lead="Om anslag.")
    html = client.get("/sok/", {"q": "detaljstyrning"}).content.decode()
    assert "Kommunen släpper taget" in html and "Budget och styrning" not in html
    assert "Inga seminarier säger ”detaljstyrning”. Visar seminarier med dess delar: " in html
    body = client.get("/api/search/", {"q": "detaljstyrning"}).json()
    assert (body["total"], body["searched_for"]) == (1, "detalj styrning")
    body = client.get("/api/search/", {"q": "styrning"}).json()
    assert (body["total"], body["searched_for"]) == (2, "")
    body = client.get("/api/search/", {"q": "målstyrning"}).json()  # "mål" is no part (4+)
    assert (body["total"], body["searched_for"]) == (0, "")
    body = client.get("/api/search/", {"q": "tillitsbaseradstyrning budget"}).json()
    assert (body["total"], body["searched_for"]) == (0, "")  # the parts find nothing either
    for q, split in (
        ("Detaljstyrning?", "detalj styrning?"),
        ("detaljstyrning, kommunen", "detalj styrning, kommunen"),
    ):
        body = client.get("/api/search/", {"q": q}).json()
        assert (body["total"], body["searched_for"]) == (1, split), q
    # A compound the archive knows is not split, even when the whole query finds nothing and
    # its parts would ("resultat styrning kommunen" finds "Mått").
    make("Resultat", lead="Om resultatstyrning i staten.")
    make("Mått", lead="Kommunen mäter resultat och styrning.")
    body = client.get("/api/search/", {"q": "resultat styrning kommunen"}).json()
    assert body["total"] == 1
    body = client.get("/api/search/", {"q": "resultatstyrning kommunen"}).json()
    assert (body["total"], body["searched_for"]) == (0, "")


def test_result_count_is_a_heading_inside_a_live_region(client, seminars):
    """role="status" on the count's h2 made it a status, not a heading, for screen readers (axe
    aria-allowed-role; tests/e2e/test_a11y.py runs axe on it at two widths)."""
    for url in ("/sok/", "/en/search/"):
        html = client.get(url, {"q": "styrning"}).content.decode()
        heading = re.search(r"<h2 [^>]*id=\"search-results-heading\"[^>]*>([^<]*)</h2>", html)
        assert heading and "role=" not in heading.group(0), url
        assert re.search(
            r'<div role="status">\s*' + re.escape(heading.group(0)) + r"\s*</div>", html
        )
        assert heading.group(1) in ("3 seminarier hittades", "3 seminars found")
        assert 'aria-labelledby="search-results-heading"' in html


@pytest.fixture
def long_talk(archive_root, settings):
    """A seminar whose transcript says "styrning" in 12 segments, with a slide that says it."""
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    anna, bo = SpeakerFactory(name="Anna Andersson"), SpeakerFactory(name="Bo Berg")
    transcript = [
        (t * 10.0, t * 10.0 + 9, "Bo Berg" if t % 4 else "Anna Andersson", f"Om styrning, del {t}.")
        for t in range(12)
    ]
    transcript += [(200.0, 209.0, "Anna Andersson", "Om budget.")]
    make.count = 100  # slugs apart from another maker's
    return make(
        "Ett långt samtal",
        lead="Om pengar.",
        speakers=[anna, bo],
        transcript=transcript,
        slides=[["Budget", "Styrning och tillit"]],
    )


def test_a_hit_with_more_moments_than_shown_links_to_all_of_them(client, long_talk):
    """Three moments of twelve were shown with no sign of the others (review: "3 of 18")."""
    html = client.get("/sok/", {"q": "styrning"}).content.decode()
    assert html.count('class="search-moments__time"') == 3
    url = f"/sok/{long_talk.pk}/?q=styrning"
    assert f'<p class="search-moments__more"><a href="{url}">' in html
    assert "12" in html[html.index('class="search-moments__more"') :][:200]

    page = client.get(url)
    assert page.status_code == 200
    moments = page.content.decode()
    assert '<meta name="robots" content="noindex">' in moments
    starts = re.findall(rf'href="{long_talk.url}\?t=(\d+)"', moments)
    assert starts == [str(t * 10) for t in range(12)]  # every moment, in time order
    assert "?t=200" not in moments  # not the segment without the word
    assert "<mark>styrning</mark>" in moments
    assert re.search(r'href="[^"]*#page=2"', moments)  # the slide page that says it
    assert 'href="/sok/?q=styrning"' in moments  # back to the results
    assert f'href="{long_talk.url}"' in moments

    # Filtered on a speaker: that speaker's moments, and the link keeps the filter.
    bo = Speaker.objects.get(name="Bo Berg")
    html = client.get("/sok/", {"q": "styrning", "speaker": bo.slug}).content.decode()
    link = f"/sok/{long_talk.pk}/?q=styrning&amp;speaker={bo.slug}"
    assert link in html
    moments = client.get(link.replace("&amp;", "&")).content.decode()
    said = [str(t * 10) for t in range(12) if t % 4]
    assert re.findall(rf'href="{long_talk.url}\?t=(\d+)"', moments) == said
    assert "Bo Berg" in moments[moments.index("<h1") :][:600]  # "Only what Bo Berg said."
    anna = Speaker.objects.get(name="Anna Andersson")  # three moments, all shown: no link
    html = client.get("/sok/", {"q": "styrning", "speaker": anna.slug}).content.decode()
    assert html.count('class="search-moments__time"') == 3
    assert "search-moments__more" not in html
    with translation.override("en"):
        english = client.get(f"/en/search/{long_talk.pk}/?q=styrning").content.decode()
    assert "12 moments." in english and f'href="/en{long_talk.url}?t=0"' in english


def test_no_link_when_every_moment_is_shown_and_no_page_for_unpublished_seminars(
    client, long_talk, archive_root
):
    html = client.get("/sok/", {"q": "tillit"}).content.decode()  # on a slide only
    assert "search-moments__more" not in html
    assert client.get("/sok/999999/?q=styrning").status_code == 404
    draft = SeminarMaker(archive_root)("Utkast om styrning", lead="Styrning.", publish=False)
    assert client.get(f"/sok/{draft.pk}/?q=styrning").status_code == 404
    response = client.get(f"/sok/{long_talk.pk}/")  # no words: the seminar itself
    assert response.status_code == 302 and response["Location"] == long_talk.url


def test_the_moments_page_names_moderators_too_and_never_hides_every_moment(
    client, archive_root, settings
):
    """Review of the moments page: with the moderator in the filter it said "Only what <the
    speaker> said" over the moderator's moments too; a filter naming nobody of the seminar
    claimed the recording did not say the words; a too-long query sent the visitor to the
    seminar without a word; a seminar without a recording said its transcript lacked them."""
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    maria, peter, olle = (
        SpeakerFactory(name="Maria Lind"),
        SpeakerFactory(name="Peter Öhman"),
        SpeakerFactory(name="Olle Ek"),
    )
    talk = make(
        "Samtal om tillit",
        lead="Om ledning.",
        speakers=[maria, (peter, "moderator")],
        transcript=[
            (0.0, 9.0, "Maria Lind", "Tillit först."),
            (10.0, 19.0, "Peter Öhman", "Och tillit sedan?"),
        ],
    )
    both = client.get(
        f"/sok/{talk.pk}/", {"q": "tillit", "speaker": [maria.slug, peter.slug]}
    ).content.decode()
    assert "Maria Lind, Peter Öhman" in both[both.index("<h1") :][:800]
    assert len(re.findall(rf'href="{talk.url}\?t=(\d+)"', both)) == 2
    stranger = client.get(f"/sok/{talk.pk}/", {"q": "tillit", "speaker": olle.slug})
    html = stranger.content.decode()
    assert re.findall(rf'href="{talk.url}\?t=(\d+)"', html) == ["0", "10"]
    assert "Olle Ek" not in html

    too_long = client.get(f"/sok/{talk.pk}/", {"q": "tillit " * 100})
    assert too_long.status_code == 400 and 'role="alert"' in too_long.content.decode()

    silent = make("Tyst seminarium", lead="Om tillit.", slides=[["Tillit"]])
    html = client.get(f"/sok/{silent.pk}/", {"q": "tillit"}).content.decode()
    assert "Sagt i inspelningen" not in html and "Inspelningens transkription" not in html
    assert re.search(r'href="[^"]*#page=1"', html)  # the slide that says it


def test_a_reversed_date_range_names_the_fields_and_keeps_both_dates(client, seminars):
    """The alert named the URL parameters ("to … is before from …") and the To field had been
    emptied, so the visitor could not swap the dates as it asked."""
    params = {"q": "styrning", "from": "2026-06-01", "to": "2026-05-01"}
    response = client.get("/sok/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="from" value="2026-06-01"' in html and 'name="to" value="2026-05-01"' in html
    assert re.search(r'id="search-to"[^>]*aria-invalid="true"', html)
    with translation.override("en"):
        html = client.get("/en/search/", params).content.decode()
    assert "The date in “To” (2026-05-01) is before the one in “From” (2026-06-01)" in html
    assert "is before from" not in html
    api = client.get("/api/search/", params).json()  # the API names its parameters
    assert api["parameter"] == "to" and "from" in api["error"]


@pytest.mark.parametrize("q", ["-styrning", "NOT styrning", "-styrning -budget"])
def test_a_query_of_exclusions_only_says_it_needs_a_word(client, seminars, q):
    html = client.get("/sok/", {"q": q}).content.decode()
    assert 'class="empty empty--exclusions"' in html
    with translation.override("en"):
        html = client.get("/en/search/", {"q": q}).content.decode()
    assert "Give at least one word to search for" in html
    html = client.get("/sok/", {"q": "digitalisering -styrning"}).content.decode()
    assert "empty--exclusions" not in html and "Digitalisering" in html
    html = client.get("/sok/", {"q": "finnsinte -styrning"}).content.decode()
    assert "empty--exclusions" not in html


def test_a_hit_counts_its_moments_up_to_a_cap_and_its_page_counts_them_all(client, archive_root):
    make = SeminarMaker(archive_root)
    transcript = [(float(t), t + 0.9, "", f"Budget, del {t}.") for t in range(130)]
    page = make("Ett långt samtal", lead="Om pengar.", transcript=transcript)
    with translation.override("en"):
        html = client.get("/en/search/", {"q": "budget"}).content.decode()
        assert "Show all 100+ moments (3 shown here)" in html
        moments = client.get(f"/en/search/{page.pk}/?q=budget").content.decode()
    assert "130 moments." in moments and moments.count('class="search-moments__time"') == 130
