"""The search exports list every moment (up to a cap), their count and the slide hits, as
structured items in JSON and readable cells in CSV; seminars are cited in RIS and CSL-JSON too.
(Exports kept the three moments the page shows, joined in one string, and no slide hits.)"""

import csv
import io
import json

import pytest

from search.export import EXPORT_MAX_MOMENTS
from tests.search.conftest import SeminarMaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    transcript = [
        (t * 10.0 + 0.25, t * 10.0 + 9, "Anna Ek", f"Om tillit, del {t}.")
        for t in range(EXPORT_MAX_MOMENTS + 5)
    ]
    return SeminarMaker(archive_root)(
        "Leda med tillit",
        speakers=["Anna Ek"],
        transcript=transcript,
        slides=[["Inledning", "Tillit och kontroll"]],
    )


def test_the_json_export_gives_moments_and_slide_hits_as_items(client, talk):
    data = client.get("/api/search/export.json", {"q": "tillit", "hl": "sv"}).json()
    [row] = data["results"]
    assert row["moment_count"] == EXPORT_MAX_MOMENTS + 5
    assert len(row["moments"]) == EXPORT_MAX_MOMENTS
    assert row["moments"][1] == {
        "start": 10.25,
        "end": 19.0,
        "time": "0:10",
        "speaker": "Anna Ek",
        "text": "Om tillit, del 1.",
        "url": f"http://testserver{talk.url}?t=10.25",
    }
    [slide] = row["slides"]
    assert slide["page"] == 2 and slide["text"] == "Tillit och kontroll"
    assert slide["url"].startswith("http://testserver/documents/")
    assert slide["url"].endswith("#page=2")


def test_the_csv_export_keeps_readable_cells_with_the_count_and_the_slides(client, talk):
    response = client.get("/api/search/export.csv", {"q": "tillit", "hl": "en"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(row)[-2:] == ["moment_count", "slides"]  # new columns at the end
    assert row["moments"].startswith(
        f"0:00 Anna Ek: Om tillit, del 0. (http://testserver{talk.url}?t=0.25) | "
    )
    assert row["moments"].endswith(f" | ({EXPORT_MAX_MOMENTS} of {EXPORT_MAX_MOMENTS + 5} moments)")
    assert row["moment_count"] == str(EXPORT_MAX_MOMENTS + 5)
    assert row["slides"].startswith(
        "p. 2 (Presentation): Tillit och kontroll (http://testserver/documents/"
    )


def test_a_seminar_is_cited_in_ris_and_csl_json_from_its_page_and_the_api(client, talk):
    html = client.get(talk.url).content.decode()
    assert f'href="/api/seminars/{talk.slug}/cite.ris?hl=sv"' in html
    assert f'href="/api/seminars/{talk.slug}/cite.json?hl=sv"' in html
    citation = client.get(f"/api/seminars/{talk.slug}/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "citation"
    ]
    assert citation["ris_url"].endswith(f"/api/seminars/{talk.slug}/cite.ris?hl=en")

    ris = client.get(f"/api/seminars/{talk.slug}/cite.ris?hl=sv")
    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    text = ris.content.decode()
    assert text.startswith("TY  - SLIDE\r\nAU  - Ek, Anna\r\nTI  - Leda med tillit\r\n")
    assert f"ID  - ek{talk.start.year}s-{talk.pk}\r\n" in text and "N1  - Seminarium\r\n" in text

    csl = client.get(f"/api/seminars/{talk.slug}/cite.json?hl=en")
    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    [item] = json.loads(csl.content)
    assert item["title"] == "Leda med tillit" and item["type"] == "speech"
    assert item["author"] == [{"family": "Ek", "given": "Anna"}]
    assert item["URL"] == f"http://testserver{talk.url}" and item["genre"] == "Seminar"
    schema = client.get("/api/schema/").json()
    assert "/api/seminars/{slug}/cite.ris" in schema["paths"]
    assert "/api/seminars/{slug}/cite.json" in schema["paths"]
