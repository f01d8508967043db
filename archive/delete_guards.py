"""The admin refuses to delete a speaker or a slide PDF that a seminar may still publish.

A live seminar's speakers and slides are protected by their PROTECT keys and Wagtail's reference
index; a draft's, a scheduled revision's or one in moderation were not ("used 0 times"), and
deleting them broke the seminar's editor and ``publish_scheduled``
(``archive.revision_usage``). The refusal names the seminars, linked to their editors, and says
what to do. Registered in ``archive/wagtail_hooks.py``: the snippet delete views (one or many)
run ``before_delete_snippet``; Wagtail's document delete view runs no hook, so its address is
answered by :class:`DocumentDeleteView` first; the documents' bulk delete runs
``before_bulk_action``.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.documents import get_document_model
from wagtail.documents.views.documents import DeleteView as WagtailDocumentDeleteView

from archive.revision_usage import SLIDE_DOCUMENT, SPEAKER, seminars_naming

#: How many seminars a refusal names (the rest are counted).
SHOWN = 5


def _seminar_links(pages) -> str:
    """The seminars, each linked to its editor, with its date and whether it is published:
    "Tillit (16 maj 2018, utkast); Tillit (3 mars 2021, publicerat)". By title alone, two
    seminars of the same title (a copy) could not be told apart (editor review 12)."""
    from archive.models import SeminarPage

    shown = pages[:SHOWN]
    starts = dict(
        SeminarPage.objects.filter(pk__in=[page.pk for page in shown]).values_list("pk", "start")
    )
    links = format_html_join(
        "; ",
        '<a href="{}">{}</a> ({})',
        (
            (
                reverse("wagtailadmin_pages:edit", args=[page.pk]),
                page.get_admin_display_title(),
                _seminar_details(starts.get(page.pk), page.live),
            )
            for page in shown
        ),
    )
    hidden = len(pages) - SHOWN
    if hidden > 0:
        more = ngettext("and %(count)d more seminar", "and %(count)d more seminars", hidden)
        links = format_html("{} {}", links, more % {"count": hidden})
    return links


def _seminar_details(start, live: bool) -> str:
    status = _("published") if live else _("draft")
    if start is None:
        return status
    return f"{formats.date_format(timezone.localtime(start), 'j F Y')}, {status}"


def refusals(names, objects) -> list[str]:
    """One message (safe HTML) per object in ``objects`` that a pending revision names."""
    named = seminars_naming(names, [obj.pk for obj in objects])
    return [
        mark_safe(  # noqa: S308 - every value is escaped here or by format_html_join
            conditional_escape(_refusal(names, len(named[obj.pk])))
            % {"name": conditional_escape(str(obj)), "seminars": _seminar_links(named[obj.pk])}
        )
        for obj in objects
        if obj.pk in named
    ]


def _refusal(names, count: int) -> str:
    if names == SPEAKER:
        return ngettext(
            "“%(name)s” cannot be deleted: the latest version of this seminar, or a version "
            "scheduled or in moderation, still names this speaker: %(seminars)s. Remove the "
            "speaker from it first (and save the draft, or cancel the schedule or moderation).",
            "“%(name)s” cannot be deleted: the latest version of these seminars, or a version "
            "scheduled or in moderation, still names this speaker: %(seminars)s. Remove the "
            "speaker from them first (and save the draft, or cancel the schedule or moderation).",
            count,
        )
    return ngettext(
        "“%(name)s” cannot be deleted: the latest version of this seminar, or a version "
        "scheduled or in moderation, still shows it as slides: %(seminars)s. Remove it from "
        "its slides first (and save the draft, or cancel the schedule or moderation).",
        "“%(name)s” cannot be deleted: the latest version of these seminars, or a version "
        "scheduled or in moderation, still shows it as slides: %(seminars)s. Remove it from "
        "their slides first (and save the draft, or cancel the schedule or moderation).",
        count,
    )


def _refuse(request, names, objects, back: str):
    problems = refusals(names, objects)
    if not problems:
        return None
    for problem in problems:
        messages.error(request, problem)
    return redirect(back)


def _back(request, objects, listing: str) -> str:
    """The one object's edit view, or where a bulk action came from, or the listing."""
    if len(objects) == 1:
        edit_url = AdminURLFinder(request.user).get_edit_url(objects[0])
        if edit_url:
            return edit_url
    return get_valid_next_url_from_request(request) or listing


def refuse_speaker_delete(request, instances):
    """``before_delete_snippet`` (one speaker's delete view and the bulk delete)."""
    from archive.models import Speaker

    speakers = [obj for obj in instances if isinstance(obj, Speaker)]
    if not speakers:
        return None
    listing = reverse(Speaker.snippet_viewset.get_url_name("list"))
    return _refuse(request, SPEAKER, speakers, _back(request, speakers, listing))


def refuse_bulk_document_delete(request, action_type, objects, action_class_instance):
    """``before_bulk_action``: the documents' bulk delete."""
    document_model = get_document_model()
    documents = [obj for obj in objects if isinstance(obj, document_model)]
    if action_type != "delete" or not documents:
        return None
    back = _back(request, documents, reverse("wagtaildocs:index"))
    return _refuse(request, SLIDE_DOCUMENT, documents, back)


class DocumentDeleteView(WagtailDocumentDeleteView):
    """Wagtail's document delete view, refusing (before it asks) a PDF a seminar may publish."""

    def run_before_hook(self):
        back = reverse("wagtaildocs:edit", args=[self.object.pk])
        return _refuse(self.request, SLIDE_DOCUMENT, [self.object], back)


def document_delete_urls():
    """``register_admin_urls`` (ordered before Wagtail's own): the document delete address."""
    return [
        path(
            "documents/delete/<int:document_id>/",
            DocumentDeleteView.as_view(),
            name="archive_document_delete",
        )
    ]
