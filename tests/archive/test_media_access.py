"""A seminar's uploaded files (video, poster, slide PDFs and thumbnails, the images its body
shows) follow the seminar.

Before, anyone who had learnt the address of a draft's or a private seminar's video could fetch
it: nginx (and Django in dev) served every file under /media/ to everyone. Images (originals
and renditions) stayed public to everyone after videos and slides were closed.
"""

import io
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
from archive.models import ArchiveDocument, SeminarPage, SeminarSlide
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


@pytest.fixture
def member(django_user_model):
    """Logged in, without access to the admin."""
    client = Client()
    client.force_login(django_user_model.objects.create_user("medlem", password="x"))
    return client


def test_video_of_a_public_seminar_is_public_and_cacheable(archive_root, video):
    SeminarPageFactory(parent=archive_root, video_file=video)
    response = Client().get(video.url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == VIDEO[10:20]
    assert response["Content-Range"] == f"bytes 10-19/{len(VIDEO)}"
    assert response["Content-Length"] == "10"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
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


def test_slide_files_no_seminar_shows_are_for_editors_only(archive_root, editor, member):
    """A PDF uploaded to the library and shown on no seminar (yet) was public, and its
    thumbnail has a guessable name (slide-thumbnails/slides-<id>.png)."""
    loose = _document("Lös")
    closed = Collection.get_first_root_node().add_child(name="Interna")
    CollectionViewRestriction.objects.create(collection=closed, restriction_type="login")
    internal = _document("Intern", collection=closed)
    for document in (loose, internal):
        for url in (document.thumbnail.url, document.file.url, document.url):
            assert Client().get(url).status_code == 404, url
            assert member.get(url).status_code == 404, url  # logged in, no admin access
            assert editor.get(url).status_code in (200, 302), url  # the admin's documents


def _live_seminar_with_a_draft_deck(archive_root):
    """A live, public seminar whose draft alone has a slide deck, saved as the editor's "Save
    draft" does: (seminar, the draft's revision, its document). The live page's slide rows
    stay as they were."""
    seminar = SeminarPageFactory(parent=archive_root)
    document = _document("Hemliga bilder")
    draft = seminar.get_latest_revision_as_object()
    draft.slides.add(SeminarSlide(document=document, label="Utkast"))
    revision = draft.save_revision()
    assert not SeminarSlide.objects.filter(page=seminar).exists()
    return seminar, revision, document


def _document_urls(document) -> list[str]:
    """Wagtail's document address (which redirects to the file under test settings), the file
    and its first-page thumbnail."""
    return [document.url, document.file.url, document.thumbnail.url]


def test_a_slide_deck_only_in_a_draft_waits_for_the_publish(archive_root, editor, member):
    """Found by the security review: a deck added in a draft of a live seminar, and its first-page
    thumbnail, were served to anyone (they were on no slide row, so the collection's privacy,
    public, applied)."""
    seminar, revision, document = _live_seminar_with_a_draft_deck(archive_root)
    for url in _document_urls(document):
        assert Client().get(url).status_code == 404, url
        assert member.get(url).status_code == 404, url
        response = editor.get(url)  # the editor previews the draft with its slides
        assert response.status_code in (200, 302), url
        if response.status_code == 200:
            assert "private" in response["Cache-Control"], url
    revision.publish()
    assert Client().get(document.url).status_code == 302
    for url in (document.file.url, document.thumbnail.url):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"], url


@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_behind_nginx_a_draft_decks_thumbnail_is_not_sent(archive_root):
    """Production: the app answers 404 itself, so nginx is never told to send the file."""
    _seminar, revision, document = _live_seminar_with_a_draft_deck(archive_root)
    response = Client().get(document.thumbnail.url)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
    revision.publish()
    response = Client().get(document.thumbnail.url)
    assert response["X-Accel-Redirect"] == "/_protected_media/" + document.thumbnail.name
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def _body_linking(document) -> str:
    """A seminar body (StreamField JSON) whose paragraph links to ``document``."""
    html = f'<p>Läs <a linktype="document" id="{document.pk}">bilderna</a>.</p>'
    return json.dumps([{"type": "paragraph", "value": html}])


def test_a_document_a_public_seminars_body_links_to_is_public(archive_root, member):
    """Found by the reference index, as the images of a body are; unpublished: not public."""
    document = _document("Länkad")
    seminar = SeminarPageFactory(parent=archive_root, body=_body_linking(document))
    assert Client().get(document.url).status_code == 302
    for url in (document.file.url, document.thumbnail.url):
        assert Client().get(url).status_code == 200, url
    seminar.unpublish()
    for url in _document_urls(document):
        assert Client().get(url).status_code == 404, url
        assert member.get(url).status_code == 404, url


def test_a_document_a_public_seminar_no_longer_shows_is_not_public(archive_root):
    seminar = SeminarPageFactory(parent=archive_root)
    document = _document("Borttagen")
    SeminarSlideFactory(page=seminar, document=document)
    assert Client().get(document.thumbnail.url).status_code == 200
    page = SeminarPage.objects.get(pk=seminar.pk)
    page.slides.clear()  # as the editor removes the deck in the form
    page.save_revision().publish()
    for url in _document_urls(document):
        assert Client().get(url).status_code == 404, url


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
    for path in ("/media/media/finns-inte.webm", "/media/../settings.py"):
        assert Client().get(path).status_code == 404, path
    # No address has a NUL character: refused before any view (config.middleware).
    assert Client().get("/media/media/%00.webm").status_code == 400
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
    assert "max-age=300" in response["Cache-Control"]
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
        assert "max-age=300" in response["Cache-Control"], url


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
    assert "max-age=300" in response["Cache-Control"]
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


# --- How long a public file may be cached, and asking again -------------------------------------


def test_public_files_are_cached_briefly_and_asking_again_costs_a_304(archive_root, video):
    """A public seminar's files were cached for a week (max-age=604800): a seminar made private
    kept its video, poster and slides in browsers and shared caches that long. Now for five
    minutes, and then a conditional request gets 304 without the file."""
    SeminarPageFactory(parent=archive_root, video_file=video)
    first = Client().get(video.url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")

    again = Client().get(video.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=300"
    assert Client().get(video.url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    changed = Client().get(video.url, HTTP_IF_NONE_MATCH='"0-0"')
    assert changed.status_code == 200 and b"".join(changed.streaming_content) == VIDEO


def test_a_range_of_another_version_gets_the_whole_file(archive_root, video):
    """If-Range: the part asked for is sent only if the client's copy is this version."""
    SeminarPageFactory(parent=archive_root, video_file=video)
    etag = Client().get(video.url)["ETag"]
    part = Client().get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert part.status_code == 206 and b"".join(part.streaming_content) == VIDEO[:10]
    whole = Client().get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"0-0"')
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == VIDEO


def test_a_private_seminars_files_are_revalidated_by_their_visitor(archive_root, video, editor):
    seminar = SeminarPageFactory(parent=archive_root, video_file=video)
    seminar.unpublish()
    response = editor.get(video.url)
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    again = editor.get(video.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and "private" in again["Cache-Control"]
    assert Client().get(video.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 404


@pytest.fixture
def documents_on_disk(tmp_path):
    """Production's way of serving PDFs: Wagtail's document view sends the file itself (the
    test settings redirect to the media address, as their in-memory storage has no paths)."""
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/media/"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, WAGTAILDOCS_SERVE_METHOD="serve_view"):
        yield


def test_pdfs_from_wagtails_document_view_are_cached_as_the_seminar_allows(
    archive_root, documents_on_disk, editor
):
    """Wagtail's document view set no Cache-Control, so browsers and shared caches kept a
    public PDF as long as they guessed from its age, also after its seminar was made private."""
    seminar = SeminarPageFactory(parent=archive_root)
    document = ArchiveDocument(title="Bilder", collection=Collection.get_first_root_node())
    document.file.save("bilder.pdf", ContentFile(b"%PDF-1.4 bilder"), save=False)
    document._set_document_file_metadata()  # the file hash, Wagtail's ETag, as its form does
    document.save()
    SeminarSlideFactory(page=seminar, document=document)

    response = Client().get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bilder"
    assert response["Cache-Control"] == "public, max-age=300"
    again = Client().get(document.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["Cache-Control"] == "public, max-age=300"

    seminar.unpublish()
    assert Client().get(document.url).status_code == 404
    response = editor.get(document.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_pdf_of_a_private_collection_is_never_kept_by_shared_caches(
    archive_root, documents_on_disk, member
):
    """Shown on a public seminar, but its collection asks for a login (Wagtail's own check):
    whoever gets it logged in, so the answer is for them only."""
    closed = Collection.get_first_root_node().add_child(name="Inloggade")
    CollectionViewRestriction.objects.create(collection=closed, restriction_type="login")
    document = ArchiveDocument(title="Inloggade", collection=closed)
    document.file.save("inloggade.pdf", ContentFile(b"%PDF-1.4 inloggade"), save=False)
    document.save()
    SeminarSlideFactory(page=SeminarPageFactory(parent=archive_root), document=document)
    assert Client().get(document.url).status_code == 302  # Wagtail's login
    response = member.get(document.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_demo_slides_are_public_and_a_deck_added_in_a_draft_is_not(archive_root):
    """The demo archive's slide downloads still work for anyone; a deck an editor adds in a
    draft of a demo seminar does not, until it is published."""
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0, stdout=io.StringIO())
    seminars = SeminarPage.objects.live().public().filter(slides__isnull=False).distinct()
    assert seminars.exists()
    for seminar in seminars:
        html = Client().get(seminar.url).content.decode()
        for slide in seminar.slides.select_related("document"):
            document = slide.document
            assert document.url in html, seminar.url
            assert Client().get(document.url).status_code == 302, document.url
            assert Client().get(document.file.url).status_code == 200, document.file.url
            if document.thumbnail:
                assert Client().get(document.thumbnail.url).status_code == 200

    seminar = seminars.first()
    added = _document("Nya bilder")
    draft = seminar.get_latest_revision_as_object()
    draft.slides.add(SeminarSlide(document=added))
    draft.save_revision()
    for url in _document_urls(added):
        assert Client().get(url).status_code == 404, url


def test_a_document_saved_without_a_file_hash_gets_a_real_etag(archive_root, documents_on_disk):
    """The demo's slide decks were saved without a file hash, and Wagtail's document view sends
    the hash as the ETag: every one went out with ``ETag: ""``, and ``If-None-Match: ""`` got
    a 304 for any of them."""
    import hashlib

    decks = []
    for name in ("ett", "tva"):
        document = ArchiveDocument(title=name, collection=Collection.get_first_root_node())
        document.file.save(f"{name}.pdf", ContentFile(f"%PDF-1.4 {name}".encode()), save=False)
        document.save()
        assert document.file_hash == ""  # as code that writes documents leaves it
        SeminarSlideFactory(page=SeminarPageFactory(parent=archive_root), document=document)
        decks.append(document)

    etags = set()
    for document in decks:
        assert Client().get(document.url, HTTP_IF_NONE_MATCH='""').status_code == 200
        response = Client().get(document.url)
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        document.refresh_from_db()
        assert document.file_hash == hashlib.sha1(content).hexdigest()
        assert document.file_size == len(content)
        assert response["ETag"] == f'"{document.file_hash}"'
        assert Client().get(document.url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        etags.add(response["ETag"])
    assert len(etags) == 2
