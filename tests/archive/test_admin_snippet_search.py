"""Searching the archive's snippet listings in the admin (editor review 1): the speaker
listing found nothing on SQLite (a 503 "database unreachable" page) because the viewset passed
its ORM field names to Wagtail's database search backend."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from archive.models import Series, Speaker, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("redaktor", "r@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def speakers():
    return [
        Speaker.objects.create(
            name="Maria Svensson", slug="maria-svensson", affiliation="Mittuniversitetet"
        ),
        Speaker.objects.create(name="Åsa Öberg", slug="asa-oberg", affiliation="Region Skåne"),
        Speaker.objects.create(
            name="Eva Lindqvist", slug="eva-lindqvist", affiliation="Statskontoret"
        ),
    ]


def listed(response, names):
    html = response.content.decode()
    return {name for name in names if name in html}


NAMES = {"Maria Svensson", "Åsa Öberg", "Eva Lindqvist"}


@pytest.mark.parametrize("url_name", ["list", "list_results"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Maria", {"Maria Svensson"}),
        ("mar", {"Maria Svensson"}),  # as typed, before the word is complete
        ("Statskontoret", {"Eva Lindqvist"}),  # the affiliation
        ("åsa", {"Åsa Öberg"}),
    ],
)
def test_speaker_listing_finds_by_name_and_affiliation(
    admin_client, speakers, url_name, query, expected
):
    url = reverse(f"wagtailsnippets_archive_speaker:{url_name}")
    response = admin_client.get(url, {"q": query})
    assert response.status_code == 200
    assert listed(response, NAMES) == expected


def test_speaker_search_that_matches_nobody_lists_nobody(admin_client, speakers):
    response = admin_client.get(reverse("wagtailsnippets_archive_speaker:list"), {"q": "Zyxw"})
    assert response.status_code == 200
    assert listed(response, NAMES) == set()


@pytest.mark.parametrize("url_name", ["list", "list_results"])
def test_series_and_venue_listings_search(admin_client, url_name):
    Series.objects.create(name="Chefsfrukost", slug="chefsfrukost")
    Series.objects.create(name="Forskarforum", slug="forskarforum")
    Venue.objects.create(name="Kulturhuset", slug="kulturhuset", city="Stockholm")
    Venue.objects.create(name="Folkets hus", slug="folkets-hus", city="Umeå")

    response = admin_client.get(
        reverse(f"wagtailsnippets_archive_series:{url_name}"), {"q": "chefs"}
    )
    assert response.status_code == 200
    assert listed(response, {"Chefsfrukost", "Forskarforum"}) == {"Chefsfrukost"}

    response = admin_client.get(reverse(f"wagtailsnippets_archive_venue:{url_name}"), {"q": "Umeå"})
    assert response.status_code == 200
    assert listed(response, {"Kulturhuset", "Folkets hus"}) == {"Folkets hus"}
