from django.utils.translation import gettext_lazy as _
from wagtail.search.backends import get_search_backend
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from archive.models import Series, Speaker, Venue


class SpeakerIndexView(IndexView):
    """Finds a speaker by the start of a name, as typed (the model's autocomplete field), or by a
    whole word of the name, affiliation or bio (its search fields).

    Not through the viewset's ``search_fields``: Wagtail passes those to the search backend as
    ``fields=``, which the database backend on SQLite turns into columns its full-text table does
    not have ("no such column: name"), so the listing failed on SQLite (editor review 1). Without
    ``fields=`` both queries run on SQLite and PostgreSQL alike."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        backend = get_search_backend(self.search_backend_name)
        found = {
            speaker.pk
            for query in (backend.autocomplete, backend.search)
            for speaker in query(self.search_query, queryset, order_by_relevance=False)
        }
        return queryset.filter(pk__in=found)


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    list_display = ["name", "title", "affiliation"]
    index_view_class = SpeakerIndexView


class SeriesViewSet(SnippetViewSet):
    model = Series
    icon = "list-ul"
    list_display = ["name", "organiser"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "site"
    list_display = ["name", "street_address", "city"]


class ArchiveSnippets(SnippetViewSetGroup):
    menu_label = _("Archive")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (SpeakerViewSet, SeriesViewSet, VenueViewSet)


register_snippet(ArchiveSnippets)


# --- Transcripts (task B): a per-seminar transcript editor, linked from the page header and
# listing, and a warning in the seminar editor when a slide PDF's text could not be extracted.
from django.urls import path as _path  # noqa: E402
from django.urls import reverse as _reverse  # noqa: E402
from django.utils.html import format_html as _format_html  # noqa: E402
from django.utils.html import format_html_join as _format_html_join  # noqa: E402
from wagtail import hooks as _hooks  # noqa: E402
from wagtail.admin.widgets import Button as _Button  # noqa: E402

import archive.converters  # noqa: E402, F401 - registers <id:>
from archive import admin_views as _admin_views  # noqa: E402


@_hooks.register("register_admin_urls")
def _transcript_admin_urls():
    return [
        _path(
            "archive/transcript/<id:page_id>/",
            _admin_views.transcript_edit,
            name="archive_transcript_edit",
        ),
        _path(
            "archive/transcript/<id:page_id>/remove/",
            _admin_views.transcript_remove,
            name="archive_transcript_remove",
        ),
    ]


@_hooks.register("register_log_actions")
def _transcript_log_actions(actions):
    actions.register_action(
        _admin_views.REMOVE_LOG_ACTION, _("Remove transcript"), _("Transcript removed")
    )


class _TranscriptButton(_Button):
    allow_in_dropdown = True


def _transcript_button(page, user, priority):
    from archive.models import SeminarPage

    if page.specific_class is SeminarPage and page.permissions_for_user(user).can_edit():
        return _TranscriptButton(
            _("Transcript"),
            _reverse("archive_transcript_edit", args=[page.pk]),
            icon_name="doc-full",
            priority=priority,
        )
    return None


@_hooks.register("register_page_header_buttons")
def _transcript_header_button(page, user, view_name=None, next_url=None):
    button = _transcript_button(page, user, priority=25)
    if button:
        yield button


@_hooks.register("register_page_listing_more_buttons")
def _transcript_listing_button(page, user, next_url=None):
    button = _transcript_button(page, user, priority=15)
    if button:
        yield button


@_hooks.register("before_edit_page")
def _warn_about_slide_text(request, page):
    """Tell the editor when a slide PDF of this seminar has no extractable text (it still
    publishes; search just cannot find its content)."""
    from django.contrib import messages

    from archive.models import SeminarPage

    if request.method != "GET" or not isinstance(page.specific, SeminarPage):
        return None
    problems = [
        (slide.display_label, slide.document.text_problem)
        for slide in page.specific.slides.select_related("document")
        if slide.document.text_problem
    ]
    if problems:
        messages.warning(
            request,
            _format_html(
                "{} {}",
                _("Slide text could not be extracted:"),
                _format_html_join("; ", "“{}”: {}", problems),
            ),
        )
    return None


# --- Addresses the site owns: a move (one page or in bulk) does not go through the page form
# (SeminarPageForm.clean), so it could put a live page at /sok/ or /en/, where the site's own
# views answer instead of it. Copies are refused by their form (SiteAddressCopyForm, the pages'
# copy_form_class).


@_hooks.register("before_move_page")
def _refuse_move_to_a_site_address(request, page, destination):
    """As Wagtail refuses a move whose slug is taken at the destination: a message and back to
    choosing the destination."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from archive.validators import site_address_error

    error = site_address_error(destination, page.slug)
    if not error:
        return None
    messages.error(request, error)
    return redirect("wagtailadmin_pages:move", page.pk)


@_hooks.register("before_bulk_action")
def _refuse_bulk_move_to_a_site_address(request, action_type, objects, action_class_instance):
    """The bulk "Move" action does not run ``before_move_page``: the same refusal, for every
    page whose slug the site answers at the destination, and back to its form."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from archive.validators import site_address_error

    if action_type != "move" or not hasattr(action_class_instance, "cleaned_form"):
        return None
    destination = action_class_instance.cleaned_form.cleaned_data.get("chooser")
    errors = [site_address_error(destination, page.slug) for page in objects]
    errors = [error for error in errors if error]
    if not errors:
        return None
    for error in dict.fromkeys(errors):
        messages.error(request, error)
    return redirect(request.get_full_path())


# --- Bulk import (task D): the "Import announcement" admin view, in the menu and as a button on
# each seminar archive's page header.
from archive.import_views import ImportAnnouncementViewSet as _ImportAnnouncementViewSet  # noqa: E402


@_hooks.register("register_admin_viewset")
def _import_announcement_viewset():
    return _ImportAnnouncementViewSet()


@_hooks.register("register_page_header_buttons")
def _import_announcement_button(page, user, view_name=None, next_url=None):
    from archive.models import SeminarIndexPage

    if (
        page.specific_class is SeminarIndexPage
        and page.permissions_for_user(user).can_add_subpage()
    ):
        yield _Button(
            _("Import announcement"),
            _reverse("import_announcement:index") + f"?parent={page.pk}",
            icon_name="download",
            priority=30,
        )


# --- Editor reports (task E): a "Seminars" listing with video/slides/reviewed-transcript columns,
# and two reports under Reports: seminars missing material, searches that found nothing.
from archive import reports as _reports  # noqa: E402


@_hooks.register("register_admin_viewset")
def _seminar_listing_viewset():
    return _reports.SeminarListingViewSet()


@_hooks.register("register_admin_urls")
def _report_urls():
    return _reports.admin_urls()


@_hooks.register("register_reports_menu_item")
def _missing_material_menu_item():
    return _reports.report_menu_items()[0]


@_hooks.register("register_reports_menu_item")
def _empty_searches_menu_item():
    return _reports.report_menu_items()[1]


# Slide PDFs follow their seminars ----------------------------------------------------------------


@_hooks.register("before_serve_document")
def _documents_follow_their_seminars(document, request):
    """A slide PDF is served only to whoever may see a live seminar that shows it (as slides
    or linked from its body), and to editors (admin access): a draft's or a private seminar's
    slides, and a PDF no seminar shows yet, are not public because their file name is known
    (``archive.media_access.document_access``, the rule its thumbnail follows too). The answer
    is kept on the request for the cache headers (``archive.media_views.serve_document``)."""
    from django.http import Http404

    from archive.media_access import DOCUMENT_ACCESS_ATTRIBUTE, Access, document_access

    access = document_access(request, type(document).objects.filter(pk=document.pk))
    if access is None:
        raise Http404("No such document")
    if access is Access.PUBLIC and document.collection.get_view_restrictions().exists():
        # Wagtail's own hook asks for the collection's password or login: whoever gets the
        # file passed it, so no shared cache may keep it.
        access = Access.PRIVATE
    setattr(request, DOCUMENT_ACCESS_ATTRIBUTE, access)
    return None


# Deletes a seminar's pending revision would not survive, and copies -----------------------------
# A speaker or slide PDF that the latest, a scheduled or a moderated revision of a seminar names
# cannot be deleted (archive.delete_guards); a copied seminar keeps its transcript
# (archive.copying).
from archive import copying as _copying  # noqa: E402
from archive import delete_guards as _delete_guards  # noqa: E402

_hooks.register("before_delete_snippet", _delete_guards.refuse_speaker_delete)
_hooks.register("before_bulk_action", _delete_guards.refuse_bulk_document_delete)
# before Wagtail's documents URLs, so its delete address is answered by the refusing view
_hooks.register("register_admin_urls", _delete_guards.document_delete_urls, order=-1)
_hooks.register("after_copy_page", _copying.copy_transcripts_after_copy)


@_hooks.register("before_edit_page")
def _warn_when_no_site_serves_the_page(request, page):
    """A seminar or archive outside every site's root page has no address, so it is not public
    (``archive.models.routable``), however live: say so in its editor."""
    from django.contrib import messages

    from archive.models import SeminarIndexPage, SeminarPage

    if request.method != "GET" or page.specific_class not in (SeminarPage, SeminarIndexPage):
        return None
    if page.get_url_parts(request) is None:
        messages.warning(
            request,
            _(
                "No site serves this page, so it has no address: visitors, feeds, search and the "
                "API do not show it, even published. Move it into the archive a site shows, or "
                "make its archive a site's root page (Settings → Sites)."
            ),
        )
    return None
