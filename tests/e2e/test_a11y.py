"""WCAG 2.1 AA in a real browser: axe-core (npm, `npm ci`) run in headless Chromium on the archive
list, a seminar with video and transcript, a speaker page and the search page. No serious or
critical violation is allowed; the skip link, focus order and captions are checked directly."""

from pathlib import Path

import pytest

from tests.e2e.open_site import site_fixture  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_path():
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci --no-audit --no-fund` (make install does)")
    return AXE


@pytest.fixture
def axe_page(browser):
    # The site's CSP forbids injected inline scripts; axe is test tooling, so bypass it here.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page, axe_path) -> list[dict]:
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                               resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )
    return result


def describe(violations) -> str:
    return "\n".join(
        f"- {v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in violations
    )


def page_urls(site, live_server):
    return {
        "archive list": f"{live_server.url}/",
        "seminar with video and transcript": f"{live_server.url}/tillit-i-styrningen/",
        "upcoming seminar": f"{live_server.url}/kompetensforsorjning/",
        "speaker page": f"{live_server.url}{site.anna.get_absolute_url()}",
        "search page": f"{live_server.url}/sok/?q=tillit",
        "english seminar": f"{live_server.url}/en/tillit-i-styrningen/",
    }


def test_no_serious_or_critical_wcag_violations(site, live_server, axe_page, axe_path):
    problems = {}
    for name, url in page_urls(site, live_server).items():
        response = axe_page.goto(url)
        assert response.status == 200, (name, url)
        blocking = [v for v in axe_violations(axe_page, axe_path) if v["impact"] in BLOCKING]
        if blocking:
            problems[name] = describe(blocking)
    assert not problems, "\n".join(f"{name}:\n{text}" for name, text in problems.items())


def test_skip_link_is_first_and_moves_focus_to_main(site, live_server, page):
    page.goto(f"{live_server.url}/tillit-i-styrningen/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.getAttribute('href')]"
    )
    assert focused == ["skip-link", "#main"]
    assert (
        page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
        or page.evaluate("() => getComputedStyle(document.activeElement).boxShadow") != "none"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_uploaded_video_has_captions_track(site, live_server, page):
    page.goto(f"{live_server.url}/tillit-i-styrningen/")
    track = page.locator("video track[kind=captions]")
    assert track.count() == 1
    assert track.get_attribute("srclang") == "sv"
    src = track.get_attribute("src")
    body = page.request.get(f"{live_server.url}{src}" if src.startswith("/") else src).text()
    assert body.startswith("WEBVTT")


def test_axe_really_reports_problems(axe_page, axe_path):
    """Guards the check above against a silently broken axe setup."""
    axe_page.set_content(
        '<html lang="sv"><head><title>x</title></head><body><main>'
        '<img src="x.png"><label>Namn</label><input type="text"></main>'
        "</body></html>"
    )
    found = {v["id"]: v["impact"] for v in axe_violations(axe_page, axe_path)}
    assert found.get("image-alt") == "critical"
    assert found.get("label") == "critical"


def axe_rule_violations(page, axe_path, rules) -> list[dict]:
    """Violations of named axe rules, whatever their tag (``heading-order`` and
    ``aria-allowed-role`` are best practices, not WCAG, so the tag run above skips them)."""
    page.add_script_tag(path=str(axe_path))
    return page.evaluate(
        """async (rules) => {
            const r = await axe.run(document, {runOnly: {type: "rule", values: rules},
                                               resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            }));
        }""",
        rules,
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_search_result_count_is_a_heading_in_a_live_region(
    site, live_server, axe_page, axe_path, width
):
    """The count was an h2 with role="status": read as a status, not a heading (axe
    aria-allowed-role), and at 375 px, with the filters' h2s folded away, the page went from the
    h1 to the hits' h3s (heading-order)."""
    axe_page.set_viewport_size({"width": width, "height": 800})
    for url, count in (
        ("/sok/?q=tillit", "2 seminarier hittades"),
        ("/en/search/?q=tillit", "2 seminars found"),
    ):
        assert axe_page.goto(live_server.url + url).status == 200
        if width < 600:  # the filters are folded shut (search.js)
            assert not axe_page.locator("h2.facet__title").first.is_visible(), url
        found = axe_rule_violations(
            axe_page, axe_path, ["aria-allowed-role", "heading-order", "empty-heading"]
        )
        assert not found, f"{url} at {width} px:\n{describe(found)}"
        # A real level-2 heading, still naming the results section ...
        heading = axe_page.get_by_role("heading", level=2, name=count)
        assert heading.is_visible(), url
        assert axe_page.get_by_role("region", name=count).count() == 1, url
        # ... inside one live region that says the count once, and nothing else.
        status = axe_page.get_by_role("status").filter(has_text=count)
        assert status.count() == 1, url
        assert status.inner_text().strip() == count, url
        assert status.locator("h2").count() == 1, url
        assert status.aria_snapshot() == f'- status:\n  - heading "{count}" [level=2]', url
