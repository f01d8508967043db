"""A seminar's uploaded files (video, poster, slide PDFs and thumbnails, the images its body
shows) follow the seminar.

Before, anyone who had learnt the address of a draft's or a private seminar's video could fetch
it: nginx (and Django in dev) served every file under /media/ to everyone. Images (originals
and renditions) stayed public to everyone after videos and slides were closed.
"""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtailmedia.models import Media

from archive.factories import SeminarPageFactory, SeminarSlideFactory
from archive.media_access import Access, media_file_access
from archive.models import ArchiveDocument, SeminarPage
from tests.archive.foundation import add_speaker, make_image

pytestmark = pytest.mark.django_db

VIDEO = bytes(range(256)) * 8


@pytest.fixture
def video():
    media = Media(title="Inspelning", type="video", duration=30, width=160, height=90)
    media.file.save("inspelning.webm", ContentFile(VIDEO), save=False)
    media.thumbnail.save("affisch.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\0" * 32), save=False)
    media.save()
    return media


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches renditions by image id; an earlier test's image may have had the same id
    (its rows rolled back, the locmem cache kept), and its rendition is no row of this test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def editor(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("redaktor", password="x"))
    return client


def test_video_of_a_public_seminar_is_public_and_cacheable(archive_root, video):
    SeminarPageFactory(parent=archive_root, video_file=video)
    response = Client().get(video.url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == VIDEO[10:20]
    assert response["Content-Range"] == f"bytes 10-19/{len(VIDEO)}"
    assert response["Content-Length"] == "10"
    assert "public" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    whole = Client().get(video.url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == VIDEO
    poster = Client().get(video.thumbnail.url)
    assert poster.status_code == 200 and poster["Content-Type"] == "image/png"


def test_video_of_a_draft_is_for_editors_only(archive_root, video, editor):
    seminar = SeminarPageFactory(parent=archive_root, video_file=video)
    seminar.unpublish()
    for url in (video.url, video.thumbnail.url):
        assert Client().get(url).status_code == 404, url
        response = editor.get(url)
        assert response.status_code == 200, url  # editors preview the draft with its video
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_video_no_seminar_shows_yet_is_for_editors_only(archive_root, video, editor):
    assert Client().get(video.url).status_code == 404
    assert editor.get(video.url).status_code == 200


def test_video_of_a_password_seminar_needs_the_password(archive_root, video):
    seminar = SeminarPageFactory(parent=archive_root, video_file=video)
    restriction = PageViewRestriction.objects.create(
        page=seminar, restriction_type="password", password="hemligt"
    )
    visitor = Client()
    assert visitor.get(video.url).status_code == 404
    visitor.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, seminar.pk]),
        {"password": "hemligt", "return_url": seminar.url},
    )
    response = visitor.get(video.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert Client().get(video.url).status_code == 404


def test_a_video_also_shown_on_a_public_seminar_is_public(archive_root, video):
    private = SeminarPageFactory(parent=archive_root, slug="stangd", video_file=video)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert Client().get(video.url).status_code == 404
    SeminarPageFactory(parent=archive_root, slug="oppen", video_file=video)
    assert Client().get(video.url).status_code == 200


def test_restriction_on_the_archive_above_covers_its_seminars(archive_root, video):
    SeminarPageFactory(parent=archive_root, video_file=video)
    PageViewRestriction.objects.create(page=archive_root, restriction_type="login")
    assert Client().get(video.url).status_code == 404


def _document(title="Bilder", collection=None):
    document = ArchiveDocument(
        title=title, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 bilder"), save=False)
    document.thumbnail.save(f"{title}.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    document.save()
    return document


def test_slide_files_follow_their_seminar(archive_root, editor):
    seminar = SeminarPageFactory(parent=archive_root)
    document = _document()
    SeminarSlideFactory(page=seminar, document=document)
    urls = [document.thumbnail.url, document.file.url]
    assert urls[0].startswith("/media/slide-thumbnails/")
    assert urls[1].startswith("/media/documents/")
    for url in urls:
        assert Client().get(url).status_code == 200, url
    seminar.unpublish()
    for url in urls:
        assert Client().get(url).status_code == 404, url
        assert editor.get(url).status_code == 200, url


def test_slide_files_on_no_seminar_keep_their_collections_rules(archive_root, editor):
    loose = _document("Lös")
    assert Client().get(loose.thumbnail.url).status_code == 200
    closed = Collection.get_first_root_node().add_child(name="Interna")
    CollectionViewRestriction.objects.create(collection=closed, restriction_type="login")
    internal = _document("Intern", collection=closed)
    assert Client().get(internal.thumbnail.url).status_code == 404
    assert Client().get(internal.file.url).status_code == 404
    assert editor.get(internal.thumbnail.url).status_code == 200


def test_files_outside_the_checked_folders_are_public(editor):
    from django.core.files.storage import default_storage

    name = default_storage.save("ovrigt/karta.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    assert Client().get("/media/" + name).status_code == 200
    # A file in Wagtail's rendition folder that is no rendition of an image: editors only.
    name = default_storage.save("images/lost.width-800.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    assert Client().get("/media/" + name).status_code == 404
    assert editor.get("/media/" + name).status_code == 200


def test_other_spellings_of_a_protected_files_path_are_not_found(archive_root, video):
    """/media/./media/x and /media//media/x name the same file as /media/media/x, but once fell
    outside the folder rules and were served to anyone (found by an adversarial review)."""
    seminar = SeminarPageFactory(parent=archive_root, video_file=video)
    seminar.unpublish()
    name = video.file.name  # media/inspelning....webm
    for url in (
        f"/media/./{name}",
        f"/media//{name}",
        f"/media/%2e/{name}",
        f"/media/%2f{name}",
        f"/media/images/../{name}",
        f"/media/{name}/",
    ):
        assert Client().get(url).status_code == 404, url


def test_unknown_and_sneaky_paths_are_not_found(archive_root, video, editor):
    SeminarPageFactory(parent=archive_root, video_file=video)
    for path in ("/media/media/finns-inte.webm", "/media/../settings.py", "/media/media/%00.webm"):
        assert Client().get(path).status_code == 404, path
    assert editor.get("/media/media/finns-inte.webm").status_code == 404


@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_behind_nginx_django_decides_and_nginx_sends(archive_root, video):
    """Production: the answer names the file for nginx's internal location, with no body."""
    seminar = SeminarPageFactory(parent=archive_root, video_file=video)
    response = Client().get(video.url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected_media/" + video.file.name
    assert response.content == b""
    assert "Content-Type" not in response  # nginx types the file by its name
    assert "max-age=604800" in response["Cache-Control"]
    seminar.unpublish()
    response = Client().get(video.url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_accel_redirect_quotes_the_file_name(archive_root):
    media = Media(title="Å", type="video", duration=3)
    media.file.name = "media/möte och fråga.webm"
    media.save()
    SeminarPageFactory(parent=archive_root, video_file=media)
    response = Client().get("/media/media/möte och fråga.webm")
    assert (
        response["X-Accel-Redirect"] == "/_protected_media/media/m%C3%B6te%20och%20fr%C3%A5ga.webm"
    )


# --- Wagtail images: the originals (original_images/) and renditions (images/) -----------------


def _body_showing(*images) -> str:
    """A seminar body (StreamField JSON) with one captioned image block per image."""
    return json.dumps(
        [
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": image.title, "decorative": False},
                    "caption": image.title,
                },
            }
            for image in images
        ]
    )


def _image_urls(image) -> list[str]:
    """The original's address and that of the rendition the seminar body shows."""
    return [image.file.url, image.get_rendition("width-800").url]


def _assert_png(response):
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_images_a_public_seminar_shows_are_public_and_cacheable(archive_root):
    image = make_image("Diagram")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(image))
    html = Client().get(seminar.url).content.decode()
    shown = re.findall(r'src="(/media/images/[^"]+)"', html)
    assert shown == [image.get_rendition("width-800").url]
    for url in [image.file.url, *shown]:
        response = Client().get(url)
        _assert_png(response)
        assert "public" in response["Cache-Control"], url
        assert "max-age=604800" in response["Cache-Control"], url


def test_images_of_a_draft_are_for_editors_only(archive_root, editor):
    image = make_image("Utkastbild")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(image))
    seminar.unpublish()
    for url in _image_urls(image):
        assert Client().get(url).status_code == 404, url
        response = editor.get(url)  # editors preview the draft with its images
        _assert_png(response)
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_images_of_a_password_seminar_need_the_password(archive_root):
    image = make_image("Hemlig bild")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(image))
    restriction = PageViewRestriction.objects.create(
        page=seminar, restriction_type="password", password="hemligt"
    )
    urls = _image_urls(image)
    visitor = Client()
    for url in urls:
        assert visitor.get(url).status_code == 404, url
    visitor.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, seminar.pk]),
        {"password": "hemligt", "return_url": seminar.url},
    )
    for url in urls:
        response = visitor.get(url)
        _assert_png(response)
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert Client().get(url).status_code == 404, url


def test_images_of_a_login_seminar_need_a_login(archive_root, django_user_model):
    image = make_image("Internt")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(image))
    PageViewRestriction.objects.create(page=seminar, restriction_type="login")
    member = Client()
    member.force_login(django_user_model.objects.create_user("medlem", password="x"))
    for url in _image_urls(image):
        assert Client().get(url).status_code == 404, url
        response = member.get(url)  # not an editor: the login is what lets them in
        _assert_png(response)
        assert "private" in response["Cache-Control"]


def test_a_speakers_portrait_stays_public(archive_root):
    """Portraits are shown on speakers' pages, whatever seminars they spoke at."""
    shared = make_image("Bo Ek")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(shared))
    PageViewRestriction.objects.create(page=seminar, restriction_type="login")
    portrait = add_speaker(seminar, "Åsa Öberg", photo=True).photo
    assert Client().get(shared.file.url).status_code == 404  # only the private seminar shows it
    speaker = add_speaker(seminar, "Bo Ek")
    speaker.photo = shared  # now also a portrait: the speaker makes it public
    speaker.save()
    for image in (portrait, shared):
        for url in (image.file.url, image.get_rendition("fill-160x160").url):
            response = Client().get(url)
            _assert_png(response)
            assert "public" in response["Cache-Control"], url


def test_an_image_also_shown_on_a_public_seminar_is_public(archive_root):
    image = make_image("Delad")
    private = SeminarPageFactory(parent=archive_root, slug="stangd", body=_body_showing(image))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    urls = _image_urls(image)
    for url in urls:
        assert Client().get(url).status_code == 404, url
    SeminarPageFactory(parent=archive_root, slug="oppen", body=_body_showing(image))
    for url in urls:
        response = Client().get(url)
        _assert_png(response)
        assert "public" in response["Cache-Control"], url


def test_an_image_nothing_uses_is_for_editors_who_see_every_image(archive_root, editor):
    image = make_image("Oanvänd")
    listing = editor.get(reverse("wagtailimages:index")).content.decode()
    thumbnails = re.findall(r'src="(/media/images/[^"]+)"', listing)
    assert thumbnails  # the admin's listing shows a rendition of the image
    for url in [image.file.url, *thumbnails]:
        assert Client().get(url).status_code == 404, url
        _assert_png(editor.get(url))


def test_an_image_only_in_an_unpublished_draft_waits_for_the_publish(archive_root, editor):
    """The reference index holds a live seminar's published content: an image an editor adds in
    a draft is not public before the draft is."""
    shown, added = make_image("Publicerad"), make_image("Tillagd i utkast")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(shown))
    draft = SeminarPage.objects.get(pk=seminar.pk)
    draft.body = _body_showing(shown, added)
    revision = draft.save_revision()
    for url in _image_urls(added):
        assert Client().get(url).status_code == 404, url
        _assert_png(editor.get(url))  # the editor's preview of the draft
    for url in _image_urls(shown):
        _assert_png(Client().get(url))
    revision.publish()
    for url in _image_urls(added):
        response = Client().get(url)
        _assert_png(response)
        assert "public" in response["Cache-Control"], url


def test_other_spellings_of_a_private_images_path_are_not_found(archive_root):
    image = make_image("Stavning")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(image))
    seminar.unpublish()
    for name in [url.removeprefix("/media/") for url in _image_urls(image)]:
        folder, file = name.split("/", 1)
        for url in (
            f"/media/./{name}",
            f"/media//{name}",
            f"/media/%2e/{name}",
            f"/media/%2f{name}",
            f"/media/ovrigt/../{name}",
            f"/media/{folder}/./{file}",
            f"/media/{folder}//{file}",
            f"/media/{name}/",
        ):
            assert Client().get(url).status_code == 404, url


@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_behind_nginx_images_are_sent_by_nginx_after_the_check(archive_root):
    image = make_image("Nginx")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_showing(image))
    rendition = image.get_rendition("width-800")
    response = Client().get(rendition.url)
    assert response["X-Accel-Redirect"] == "/_protected_media/" + rendition.file.name
    assert "max-age=604800" in response["Cache-Control"]
    seminar.unpublish()
    response = Client().get(rendition.url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_who_uses_an_image_is_one_query(archive_root, django_assert_num_queries):
    """Every image on every page asks this (portraits in listings): the path, the image and
    who uses it come from one query when the answer needs no seminar."""
    seminar = SeminarPageFactory(parent=archive_root)
    portrait = add_speaker(seminar, photo=True).photo
    unused = make_image("Ingen")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    for image, expected in ((portrait, Access.PUBLIC), (unused, None)):
        for path in (image.file.name, image.get_rendition("fill-160x160").file.name):
            with django_assert_num_queries(1):
                assert media_file_access(request, path) is expected, path
