"""Visitor review: a contact block needs a way to contact (the page, the model's validation,
the importers and the demo), and Swedish text on English pages and embeds is marked lang="sv"
(WCAG 3.1.2)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from archive.importers.announcement import create_draft, parse_announcement
from archive.models import SeminarPage, Transcript
from tests.archive.open_data import build_archive
from tests.archive.test_import_announcement import BREAKFAST
from tests.archive.test_import_seminars import good, run, write_jsonl

NEEDS_A_WAY = "a contact name needs an e-mail address or a phone number"


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


def set_contact(page, name="", email="", phone=""):
    """Stored as an older version of the site could store it: past the model's validation."""
    SeminarPage.objects.filter(pk=page.pk).update(
        contact_name=name, contact_email=email, contact_phone=phone
    )


def contact_block(html: str) -> str:
    box = html[html.index('<aside class="box registration"') :]
    return box[: box.index("</aside>")]


# The contact block --------------------------------------------------------------------------


def test_a_contact_name_without_address_or_number_invites_no_questions(client, archive):
    """ "Har du frågor? / Kontakta Peter Öhman", with nothing to contact him by."""
    set_contact(archive.upcoming, name="Peter Öhman")
    for url in ("/kompetensforsorjning/", "/en/kompetensforsorjning/"):
        box = contact_block(client.get(url).content.decode())
        assert "<h3>" not in box and "registration__contact" not in box, url
    with translation.override("en"):
        box = contact_block(client.get("/en/kompetensforsorjning/").content.decode())
    assert "Questions?" not in box and "Peter Öhman" not in box
    # An address or a number (with or without the name) is a way to ask.
    for email, phone, link in (
        ("peter@example.org", "", 'href="mailto:peter@example.org"'),
        ("", "070-123 45 67", 'href="tel:0701234567"'),
    ):
        for name in ("Peter Öhman", ""):
            set_contact(archive.upcoming, name=name, email=email, phone=phone)
            box = contact_block(client.get("/kompetensforsorjning/").content.decode())
            assert "<h3>" in box and name in box and link in box, (name, link)


def test_the_model_refuses_a_contact_name_alone_on_its_field(archive):
    page = SeminarPage.objects.get(pk=archive.upcoming.pk)
    page.contact_name = "Peter Öhman"
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            page.full_clean()
        assert list(caught.value.error_dict) == ["contact_name"]
        assert "e-mail address or phone number" in " ".join(caught.value.messages)
    for email, phone in (("peter@example.org", ""), ("", "070-123 45 67")):
        page.contact_email, page.contact_phone = email, phone
        page.full_clean()
    page.contact_name = page.contact_email = page.contact_phone = ""
    page.full_clean()


def test_the_editor_sees_the_error_on_the_contact_field(admin_client, archive):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    page = SeminarPage.objects.get(pk=archive.upcoming.pk)
    url = f"/admin/pages/{page.pk}/edit/"
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "start": page.start.strftime("%Y-%m-%d %H:%M"),
            "format": page.format,
            "language": page.language,
            "contact_name": "Peter Öhman",
            "seminar_speakers": inline_formset([]),
            "slides": inline_formset([]),
            "related_links": inline_formset([]),
            "body": "[]",
            "time_known": "on",
        }
    )
    data["body-count"] = "0"
    with translation.override("en"):
        response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["form"].errors
    assert list(errors) == ["contact_name"], errors  # nothing else in the form is wrong
    page.refresh_from_db()
    assert page.contact_name == ""


def test_every_demo_contact_can_be_reached():
    from archive.demo.content import SEMINARS

    contacts = [s["contact"] for s in SEMINARS if s.get("contact")]
    assert contacts
    for name, email, phone in contacts:
        assert email or phone or not name, name


# Importers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seminar_import_reports_a_contact_name_alone_like_other_errors(archive_root, tmp_path):
    path = write_jsonl(
        tmp_path,
        good(1, contact={"name": "Karin Sjöberg", "email": "karin@example.org"}),
        good(2, contact={"name": "Peter Öhman"}),
    )
    with translation.override("en"):
        for extra in (["--dry-run"], []):
            _out, err, error = run(path, *extra)
            assert error is not None and "1 seminar(s) failed" in str(error)
            assert f"line 2, key “contact.name”: {NEEDS_A_WAY}" in err, err
    assert list(SeminarPage.objects.values_list("slug", flat=True)) == ["seminarium-1"]


@pytest.mark.django_db
def test_a_seminar_stored_with_a_contact_name_alone_stays_editable_and_importable(
    archive_root, tmp_path
):
    """Seminars stored before the rule keep their contact: an update that leaves it alone goes
    through (it was refused, locking every such seminar out of the admin and of updates); one
    that sets a new name alone is refused with the field named; the address may be added."""
    with translation.override("en"):
        assert run(write_jsonl(tmp_path, good(1)))[2] is None
        page = SeminarPage.objects.get(slug="seminarium-1")
        set_contact(page, name="Peter Öhman")
        page = SeminarPage.objects.get(pk=page.pk)
        page.room = "Sal 1"
        page.full_clean()  # the admin's and the importer's check: the old contact is kept
        path = write_jsonl(tmp_path, {"id": "seminarium-1", "room": "Sal 2"}, name="u.jsonl")
        for extra in (["--dry-run"], []):
            _out, err, error = run(path, "--update", *extra)
            assert error is None, err
        page.refresh_from_db()
        assert (page.room, page.contact_name) == ("Sal 2", "Peter Öhman")
        renamed = write_jsonl(
            tmp_path,
            {"id": "seminarium-1", "room": "Sal 3", "contact": {"name": "Karin Sjöberg"}},
            name="r.jsonl",
        )
        for extra in (["--dry-run"], []):
            _out, err, error = run(renamed, "--update", *extra)
            assert error is not None
            assert "line 1, key “contact.name”: Add the contact person's e-mail address" in err
        page.refresh_from_db()
        assert (page.room, page.contact_name) == ("Sal 2", "Peter Öhman")
        fixed = write_jsonl(
            tmp_path,
            {"id": "seminarium-1", "room": "Sal 3", "contact": {"email": "peter@example.org"}},
            name="f.jsonl",
        )
        out, err, error = run(fixed, "--update")
        assert error is None, err
    page.refresh_from_db()
    assert (page.room, page.contact_name, page.contact_email) == (
        "Sal 3",
        "Peter Öhman",
        "peter@example.org",
    )


def test_an_announcement_naming_a_contact_without_address_still_makes_a_draft(archive_root):
    text = BREAKFAST.replace(
        "Kontakta Jonas Ek, jonas.ek@example.se, 070-123 45 67", "Kontakta Jonas Ek"
    )
    with translation.override("en"):
        announcement = parse_announcement(text, year=2019)
        assert announcement.contact_name == "Jonas Ek" and not announcement.contact_email
        page = create_draft(announcement, archive_root)
    page.refresh_from_db()
    assert (page.contact_name, page.contact_email, page.contact_phone) == ("", "", "")
    note = next(item for item in announcement.unsure if "Jonas Ek" in item)
    assert "no e-mail address or phone number" in note
    assert note in page.editor_notes
    # The full contact is kept as before.
    with translation.override("en"):
        page = create_draft(parse_announcement(BREAKFAST, year=2020), archive_root)
    assert (page.contact_name, page.contact_email) == ("Jonas Ek", "jonas.ek@example.se")


# lang on Swedish text in English pages (WCAG 3.1.2) -----------------------------------------


def test_the_english_embed_marks_the_swedish_title_and_transcript(client, archive):
    html = client.get(f"/embed/{archive.past.pk}/?lang=en").content.decode()
    assert '<html lang="en">' in html
    assert re.search(r'<h1 class="embed__title" lang="sv"><a [^>]*>Tillit i styrningen</a>', html)
    segments = re.search(r'<ol class="embed__segments" lang="sv">(.*?)</ol>', html, re.S)
    assert segments and "Tillit är grunden för styrningen" in segments.group(1)
    assert "Frågor från publiken" in segments.group(1)  # the chapter titles are inside
    # A transcript in another language than the talk's page is marked in its own.
    Transcript.objects.filter(seminar=archive.past).update(language="en")
    html = client.get(f"/embed/{archive.past.pk}/").content.decode()
    assert '<ol class="embed__segments" lang="en">' in html
    assert '<h1 class="embed__title" lang="sv">' in html


def test_english_seminar_pages_mark_the_swedish_title_in_breadcrumb_and_register_link(
    client, archive
):
    archive.upcoming.registration_url = "https://example.org/anmalan"
    archive.upcoming.save_revision().publish()
    html = client.get("/en/kompetensforsorjning/").content.decode()
    assert '<html lang="en">' in html
    assert re.search(
        r'<span aria-current="page" lang="sv">Kompetensförsörjning i kommunerna</span>', html
    )
    assert re.search(
        r'<span class="visually-hidden"> – <span lang="sv">Kompetensförsörjning i kommunerna'
        r"</span></span>",
        html,
    )
