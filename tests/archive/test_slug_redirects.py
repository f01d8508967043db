"""A renamed speaker's or series' old addresses (pages and feeds, both languages) redirect to the
new ones: they are cited, bookmarked and subscribed to. Before, they answered 404."""

from __future__ import annotations

from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.test.utils.form_data import querydict_from_html

from archive.factories import SeriesFactory
from archive.models import Speaker
from tests.archive.foundation import add_speaker, in_days, seminar


def assert_moved(client, old: str, new: str) -> None:
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get(new).status_code == 200, new


def test_a_renamed_speakers_page_and_feeds_redirect_in_both_languages(client, archive_root):
    speaker = add_speaker(seminar(archive_root, start=in_days(-3)), name="Åsa Öberg")
    old = speaker.slug
    speaker.slug = "asa-oberg-lund"
    speaker.save()

    assert_moved(client, f"/talare/{old}/", "/talare/asa-oberg-lund/")
    assert_moved(client, f"/en/speakers/{old}/", "/en/speakers/asa-oberg-lund/")
    assert_moved(client, f"/flode/talare/{old}/rss/", "/flode/talare/asa-oberg-lund/rss/")
    assert_moved(client, f"/en/feeds/speaker/{old}/atom/", "/en/feeds/speaker/asa-oberg-lund/atom/")
    # Editors see them among Wagtail's redirects.
    assert Redirect.objects.filter(redirect_link="/talare/asa-oberg-lund/").count() == 1


def test_renamed_twice_and_back_without_chains_or_loops(client, archive_root):
    speaker = add_speaker(seminar(archive_root, start=in_days(-3)), name="Bo Berg")
    first = speaker.slug
    for slug in ("bo-berg-2", "bo-berg-3"):
        speaker.slug = slug
        speaker.save()
    assert_moved(client, f"/talare/{first}/", "/talare/bo-berg-3/")  # straight to the newest
    assert_moved(client, "/talare/bo-berg-2/", "/talare/bo-berg-3/")

    speaker.slug = first  # back again: the first address is the page, not a redirect
    speaker.save()
    assert client.get(f"/talare/{first}/").status_code == 200
    assert_moved(client, "/talare/bo-berg-3/", f"/talare/{first}/")
    assert_moved(client, "/talare/bo-berg-2/", f"/talare/{first}/")
    assert not Redirect.objects.filter(old_path=f"/talare/{first}").exists()


def test_a_renamed_series_feeds_redirect(client, archive_root):
    series = SeriesFactory(name="Frukostseminarier", slug="frukost")
    seminar(archive_root, start=in_days(-3), series=series)
    series.slug = "frukostmoten"
    series.save()
    assert_moved(client, "/flode/serie/frukost/rss/", "/flode/serie/frukostmoten/rss/")
    assert_moved(
        client, "/en/feeds/series/frukost/podcast/", "/en/feeds/series/frukostmoten/podcast/"
    )


def test_a_slug_changed_in_the_admin_redirects(admin_client, archive_root):
    speaker = add_speaker(seminar(archive_root, start=in_days(-3)), name="Cecilia Ek")
    url = reverse("wagtailsnippets_archive_speaker:edit", args=[speaker.pk])
    data = querydict_from_html(admin_client.get(url).content.decode(), form_id="w-editor-form")
    data["slug"] = "cecilia-ek-umea"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Speaker.objects.get(pk=speaker.pk).slug == "cecilia-ek-umea"
    assert_moved(admin_client, "/talare/cecilia-ek/", "/talare/cecilia-ek-umea/")


def test_saving_without_a_new_slug_makes_no_redirect(archive_root):
    speaker = add_speaker(seminar(archive_root, start=in_days(-3)), name="Dan Al")
    speaker.bio = "Ny biografi."
    speaker.save()
    assert not Redirect.objects.exists()


def test_a_slug_only_some_addresses_can_hold_redirects_those(client, archive_root):
    """A speaker's page takes ASCII slugs, the feeds any: pairing the old and new addresses by
    position failed (ValueError) when a slug fitted only some of them."""
    speaker = add_speaker(seminar(archive_root, start=in_days(-3)), name="Åsa Öberg")
    old = speaker.slug
    speaker.slug = "åsa-öberg-ny"
    speaker.save()
    response = client.get(f"/flode/talare/{old}/rss/")
    assert response.status_code == 301 and "/flode/talare/" in response["Location"]
    assert not Redirect.objects.filter(old_path=f"/talare/{old}").exists()
