from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from archive.models import Series, Speaker, Venue


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    list_display = ["name", "title", "affiliation"]
    search_fields = ["name", "affiliation"]


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

from archive import admin_views as _admin_views  # noqa: E402


@_hooks.register("register_admin_urls")
def _transcript_admin_urls():
    return [
        _path(
            "archive/transcript/<int:page_id>/",
            _admin_views.transcript_edit,
            name="archive_transcript_edit",
        ),
        _path(
            "archive/transcript/<int:page_id>/remove/",
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


# --- Addresses the site owns: Wagtail's copy and move views do not go through the page form
# (SeminarPageForm.clean), so a copy or a move could put a live page at /sok/ or /en/, where the
# site's own views answer instead of it. Both are refused with the page form's message.


def _site_address_message(address: str) -> str:
    from django.utils.translation import gettext

    return gettext(
        "The address %(address)s belongs to the site itself (search, feeds, the API or the "
        "admin): the seminar could not be reached there. Choose another slug."
    ) % {"address": address}


@_hooks.register("before_copy_page")
def _refuse_copy_to_a_site_address(request, page):
    """Show the copy form again, with the slug refused, instead of copying."""
    from wagtail.admin.utils import get_valid_next_url_from_request
    from wagtail.admin.views.pages.copy import CopyView
    from wagtail.models import Page

    from archive.validators import slug_route_conflict

    if request.method != "POST":
        return None
    slug = request.POST.get("new_slug", "")
    parent_id = request.POST.get("new_parent_page", "")
    parent = Page.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
    taken = slug_route_conflict(parent, slug) if parent is not None and slug else None
    if not taken:
        return None
    # The copy view's own form and template, as its form_invalid would show them.
    view = CopyView()
    view.setup(request, page_id=page.pk)
    view.page, view.parent_page = page, parent
    view.next_url = get_valid_next_url_from_request(request)
    form = view.get_form()
    form.is_valid()
    form.add_error("new_slug", _site_address_message(taken))
    return view.form_invalid(form)


@_hooks.register("before_move_page")
def _refuse_move_to_a_site_address(request, page, destination):
    """As Wagtail refuses a move whose slug is taken at the destination: a message and back to
    choosing the destination."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from archive.validators import slug_route_conflict

    taken = slug_route_conflict(destination, page.slug)
    if not taken:
        return None
    messages.error(request, _site_address_message(taken))
    return redirect("wagtailadmin_pages:move", page.pk)


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
    """A slide PDF shown on seminars is served only to whoever may see one of them: a draft's
    or a private seminar's slides are not public because their file name is known. Editors
    (admin access) always get it; documents no seminar shows keep Wagtail's own rules
    (collection privacy)."""
    from django.http import Http404

    from archive.media_access import seminars_access
    from archive.models import SeminarPage

    pages = SeminarPage.objects.filter(slides__document=document)
    if not pages.exists() or seminars_access(request, pages) is not None:
        return None
    raise Http404("No such document")
