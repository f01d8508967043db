"""Search under per-client limits: the HTML search pages (SEARCH_RATE_LIMIT) and the API's
exports, which run up to a hundred searches each and count as API_EXPORT_WEIGHT requests.

Before, an export counted as one API request, and /sok/ and /sok/<id>/ (up to 500 moments) ran
the same engine with no limit at all.
"""

import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from archive.factories import SeminarPageFactory
from tests.test_security import FrozenClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    """An empty cache and a clock that stands still: no rate window ends during the test."""
    cache.clear()
    with mock.patch("django_ratelimit.core.time", FrozenClock(1_800_000_000.0)):
        yield
    cache.clear()


@override_settings(SEARCH_RATE_LIMIT="3/m")
def test_the_search_pages_are_limited_per_client(client, archive_root, frozen):
    seminar = SeminarPageFactory(parent=archive_root, title="Tillit i styrningen")
    seminar.save_revision().publish()  # indexed
    assert client.get("/sok/?q=tillit").status_code == 200
    assert client.get("/en/search/?q=tillit").status_code == 200
    assert client.get(f"/sok/{seminar.pk}/?q=tillit").status_code == 200
    for url in ("/sok/?q=tillit", f"/sok/{seminar.pk}/?q=tillit"):
        response = client.get(url)
        assert response.status_code == 429, url
        assert 0 < int(response["Retry-After"]) <= 60
    response = client.get("/en/search/?q=tillit")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many searches" in html
    assert f"Wait {response['Retry-After']} seconds" in html
    # Another address has its own allowance.
    assert client.get("/sok/?q=tillit", REMOTE_ADDR="10.1.2.3").status_code == 200


@override_settings(API_RATE_LIMIT="25/m", API_EXPORT_WEIGHT=10)
def test_an_export_counts_as_several_api_requests(client, archive_root, frozen):
    SeminarPageFactory(parent=archive_root, title="Tillit i styrningen")
    assert client.get("/api/search/export.json?q=tillit").status_code == 200
    assert client.get("/api/search/export.csv?q=tillit").status_code == 200
    # 20 counted of 25: four plain requests are left, and not another export.
    codes = [client.get("/api/search/?q=tillit").status_code for _ in range(4)]
    assert codes == [200] * 4
    assert client.get("/api/search/export.json?q=tillit").status_code == 429
    assert client.get("/api/search/?q=tillit").status_code == 429


@pytest.mark.parametrize("rate", ["600", "600/M", "0/m", "lots"])
def test_a_malformed_search_rate_limit_is_reported(rate):
    with (
        override_settings(SEARCH_RATE_LIMIT=rate),
        pytest.raises(SystemCheckError, match="config.E002") as raised,
    ):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert "SEARCH_RATE_LIMIT must look like 120/m" in str(raised.value)
    with override_settings(SEARCH_RATE_LIMIT="600/m"):
        call_command("check", stdout=io.StringIO())
