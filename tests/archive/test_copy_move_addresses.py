"""Wagtail's copy and move views refuse an address the site itself answers (QA D5)."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from archive.factories import SeminarIndexPageFactory, SeminarPageFactory
from archive.models import SeminarPage
from tests.archive.foundation import assert_shows_one_of, both_languages

pytestmark = pytest.mark.django_db

SITE_ADDRESS = (
    "The address %(address)s belongs to the site itself (search, feeds, the API or the "
    "admin): the seminar could not be reached there. Choose another slug."
)


@pytest.fixture
def seminar(archive_root):
    return SeminarPageFactory(parent=archive_root, slug="tillit", title="Tillit")


def copy(client, page, parent, slug, **extra):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "Kopia",
            "new_slug": slug,
            "new_parent_page": str(parent.pk),
            "publish_copies": "on",
            **extra,
        },
    )


@pytest.mark.parametrize("slug, address", [("sok", "/sok/"), ("en", "/en/")])
def test_copy_refuses_an_address_the_site_owns(admin_client, archive_root, seminar, slug, address):
    """The copy was published at /seminarier/sok/, and every link to it opened the search page."""
    response = copy(admin_client, seminar, archive_root, slug)
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert_shows_one_of(html, both_languages(SITE_ADDRESS, address=address))
    assert 'name="new_slug"' in html
    assert list(SeminarPage.objects.values_list("slug", flat=True)) == ["tillit"]


def test_copy_refuses_an_alias_at_an_address_the_site_owns(admin_client, archive_root, seminar):
    response = copy(admin_client, seminar, archive_root, "sok", alias="on")
    assert response.status_code == 200
    assert SeminarPage.objects.count() == 1


def test_copy_to_an_ordinary_slug_still_works(admin_client, archive_root, seminar, client):
    response = copy(admin_client, seminar, archive_root, "tillit-igen")
    assert response.status_code == 302
    copied = SeminarPage.objects.get(slug="tillit-igen")
    assert copied.live and client.get(copied.url).status_code == 200


def test_move_refuses_a_destination_where_the_slug_is_the_sites_own(admin_client, archive_root):
    """A seminar called "sok" in an archive outside the site would answer nowhere once moved
    into the site's archive."""
    elsewhere = SeminarIndexPageFactory(parent=Page.get_first_root_node(), slug="annat")
    page = SeminarPageFactory(parent=elsewhere, slug="sok", title="Sök och finn")
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, archive_root.pk])
    for response in (admin_client.get(confirm), admin_client.post(confirm)):
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_pages:move", args=[page.pk])
    page.refresh_from_db()
    assert page.get_parent().pk == elsewhere.pk
    moved = admin_client.get(reverse("wagtailadmin_pages:move", args=[page.pk]))
    assert_shows_one_of(moved.content.decode(), both_languages(SITE_ADDRESS, address="/sok/"))

    page.slug = "sok-och-finn"
    page.save_revision().publish()
    assert admin_client.post(confirm).status_code == 302
    page.refresh_from_db()
    assert page.get_parent().pk == archive_root.pk


def test_bulk_move_refuses_a_destination_where_the_slug_is_the_sites_own(
    admin_client, archive_root
):
    """Wagtail's bulk "Move" action runs no ``before_move_page``: it is refused the same way."""
    elsewhere = SeminarIndexPageFactory(parent=Page.get_first_root_node(), slug="annat")
    bad = SeminarPageFactory(parent=elsewhere, slug="sok", title="Sök och finn")
    fine = SeminarPageFactory(parent=elsewhere, slug="om-tillit", title="Om tillit")
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "move"))
    url += f"?id={bad.pk}&id={fine.pk}"
    response = admin_client.post(url, {"chooser": archive_root.pk})
    assert response.status_code == 302 and response.url == url
    for page in (bad, fine):  # nothing moved: the whole action is refused
        page.refresh_from_db()
        assert page.get_parent().pk == elsewhere.pk
    shown = admin_client.get(url).content.decode()
    assert_shows_one_of(shown, both_languages(SITE_ADDRESS, address="/sok/"))
    response = admin_client.post(url.replace(f"id={bad.pk}&", ""), {"chooser": archive_root.pk})
    assert response.status_code == 302
    fine.refresh_from_db()
    assert fine.get_parent().pk == archive_root.pk
