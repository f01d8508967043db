"""Visitor and researcher defects from the second QA review: BibTeX escaping, the interface
language of citation/export downloads (``hl``), topic feeds of slugs with å/ä/ö, date-only
seminars on their own day, Swedish speaker texts on English pages and Atom authors."""

import pytest

from archive.citation import CitationData, bibtex_escape, to_bibtex
from tests.archive.open_data import build_archive

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


# BibTeX -----------------------------------------------------------------------------------------


def test_bibtex_escapes_backslash_tilde_and_caret_once():
    """A backslash passed through as a LaTeX command, "~" became a non-breaking space and "^"
    stopped LaTeX ("Missing $ inserted")."""
    assert bibtex_escape("a \\LaTeX ~ ^ b") == (
        r"a \textbackslash{}LaTeX \textasciitilde{} \textasciicircum{} b"
    )
    # the braces and backslashes that escaping adds are not escaped again
    assert bibtex_escape("\\{") == r"\textbackslash{}\{"
    assert bibtex_escape("& % $ # _ { }") == r"\& \% \$ \# \_ \{ \}"
    data = CitationData(
        title="Styrning & ledning: 50 % av {kostnaderna} – #1 _test_ \\LaTeX ~ ^",
        authors=("Anna Öberg",),
        year=2026,
        month=5,
        day=31,
        url="https://example.org/s/",
        slug="qa-bibtex",
    )
    bib = to_bibtex(data)
    assert (
        r"title = {{Styrning \& ledning: 50 \% av \{kostnaderna\} – \#1 \_test\_ "
        r"\textbackslash{}LaTeX \textasciitilde{} \textasciicircum{}}}"
    ) in bib
    title_line = next(line for line in bib.splitlines() if "title =" in line)
    # every brace is balanced once the escaped ones (\{ \}) are left out
    bare = title_line.replace(r"\{", "").replace(r"\}", "")
    assert bare.count("{") == bare.count("}")
    assert "~" not in bib.replace(r"\textasciitilde{}", "") and "^" not in bib.replace(
        r"\textasciicircum{}", ""
    )


# Topic feeds of slugs with å/ä/ö ------------------------------------------------------------


def test_a_topic_with_a_swedish_letter_in_its_slug_offers_its_feeds(client, archive):
    """/?topic=uppföljning showed "Prenumerera: uppföljning" over an empty list and no
    autodiscovery link: the feed check took ASCII slugs only, the feed URLs take any letter."""
    from django.template.loader import render_to_string
    from taggit.models import Tag

    archive.past.topics.add("uppföljning")
    archive.past.save_revision().publish()
    slug = Tag.objects.get(name="uppföljning").slug
    assert slug == "uppföljning"
    html = client.get("/", {"topic": slug}).content.decode()
    rss = "/flode/amne/uppf%C3%B6ljning/rss/"
    atom = "/flode/amne/uppf%C3%B6ljning/atom/"
    aside = html[html.index('<aside class="subscribe"') :]
    aside = aside[: aside.index("</aside>")]
    assert "uppföljning" in aside and f'href="{rss}"' in aside and f'href="{atom}"' in aside
    head = html[: html.index("</head>")]
    assert f'type="application/rss+xml" href="{rss}"' in head
    assert f'type="application/atom+xml" href="{atom}"' in head
    for url in (rss, atom):
        response = client.get(url)
        assert response.status_code == 200 and archive.past.title in response.content.decode()
    # A slug no feed URL can carry gives no box at all, not a heading over an empty list.
    empty = render_to_string(
        "components/subscribe.html", {"kind": "topic", "slug": "a/b", "name": "a/b"}
    )
    assert "<aside" not in empty and "Prenumerera" not in empty
