"""The search box's autocomplete in a real browser: an accessible combobox, keyboard-driven."""

import pytest

from tests.search.conftest import SeminarMaker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def seminar_page(live_server, archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    return SeminarMaker(archive_root)(
        "Tillitsbaserad styrning", lead="Om tillit.", speakers=["Tilda Tillberg"]
    )


def test_keyboard_user_picks_a_suggestion_or_submits_the_form(live_server, seminar_page, page):
    url = seminar_page.url
    page.goto(f"{live_server.url}/sok/")
    box = page.get_by_role("combobox", name="Söktext")
    box.fill("till")
    options = page.get_by_role("option")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    labels = options.all_inner_texts()
    assert any("Tillitsbaserad styrning" in label for label in labels)
    assert any("Tilda Tillberg" in label for label in labels)
    box.press("ArrowDown")
    first = options.first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.fill("tillitsb")
    options.first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(f"{live_server.url}{url}")
    # Without choosing a suggestion the form simply submits (one browser test: the live-server
    # database is set up once).
    page.goto(f"{live_server.url}/sok/")
    page.get_by_role("combobox", name="Söktext").fill("styrning")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_url("**/sok/?q=styrning**")
    assert page.locator(".search-hit__title").all_inner_texts() == ["Tillitsbaserad styrning"]
