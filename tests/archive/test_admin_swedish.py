"""The Swedish admin in the editor's main screens (editor review 7 and 8): the project's own
strings, not taggit's or Wagtail's English defaults, and months in lower case."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from archive.factories import SeminarPageFactory
from archive.models import SeminarPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def swedish_admin(client):
    """A superuser whose admin speaks the site's language, Swedish."""
    client.force_login(get_user_model().objects.create_superuser("redaktor", "r@e.se", "x"))
    return client


@pytest.fixture
def seminar(archive_root):
    start = timezone.make_aware(dt.datetime(2025, 5, 27, 14, 0))
    return SeminarPageFactory(parent=archive_root, title="Ett seminarium i maj", start=start)


def test_the_topics_field_has_the_projects_help_text(swedish_admin, seminar):
    html = swedish_admin.get(reverse("wagtailadmin_pages:edit", args=[seminar.pk])).content
    assert b"A comma-separated list of tags." not in html  # taggit's, never translated
    assert "Skilj ämnena åt med kommatecken" in html.decode()
    help_text = SeminarPage._meta.get_field("topics").help_text
    with translation.override("en"):
        assert "topic" in str(help_text)


def test_the_image_chooser_in_the_body_is_labelled_in_swedish(swedish_admin, seminar):
    html = swedish_admin.get(reverse("wagtailadmin_pages:edit", args=[seminar.pk])).content
    html = html.decode()
    assert "&quot;label&quot;: &quot;Image&quot;" not in html  # the inner chooser's label
    assert "&quot;label&quot;: &quot;Bild&quot;" in html


def icon_titles(html):
    """What a screen reader reads for each icon (Wagtail writes an icon's title as hidden
    text after it)."""
    return [t.strip() for t in re.findall(r'<span class="w-sr-only">([^<]*)</span>', html)]


@pytest.mark.parametrize(
    "url", ["/admin/seminar_listing/", "/admin/reports/seminars-missing-material/"]
)
def test_yes_no_columns_say_ja_and_nej(swedish_admin, seminar, url):
    html = swedish_admin.get(url).content.decode()
    assert seminar.title in html
    titles = icon_titles(html)
    assert "Nej" in titles  # no video, no reviewed transcript
    assert "True" not in titles and "False" not in titles


@pytest.mark.parametrize(
    "url", ["/admin/seminar_listing/", "/admin/reports/seminars-missing-material/"]
)
def test_date_columns_write_the_month_in_lower_case(swedish_admin, seminar, url):
    html = swedish_admin.get(url).content.decode()
    assert "27 maj 2025, 14:00" in html
    assert "Maj" not in html


def test_the_searches_report_writes_the_month_in_lower_case(swedish_admin):
    from search.models import SearchLog

    SearchLog.objects.create(query="vattenrening", results=0, engine="database")
    html = swedish_admin.get("/admin/reports/searches-without-results/").content.decode()
    today = timezone.localdate()
    assert re.search(rf">\s*{today.day} [a-zåäö]{{3}} {today.year}\s*<", html)
