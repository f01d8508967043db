"""Editor views in the Wagtail admin: what each seminar still lacks, and what visitors searched
for in vain.

- ``SeminarListingViewSet``: a "Seminars" listing (admin menu) with Video / Slides / Reviewed
  transcript columns for every seminar.
- ``MissingMaterialReport`` (Reports menu): past seminars missing any of video, slides or a
  reviewed transcript, with spreadsheet export.
- ``EmptySearchesReport`` (Reports menu): searches without filters that found nothing, grouped by
  the normalised query with how often and when last (from ``search.models.SearchLog``, which keeps
  no IP or user). Editors read it for content gaps: a query that only found nothing because a
  visitor narrowed it to a year, series or speaker says nothing about what the archive lacks.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from archive.models import SeminarPage, Transcript
from archive.models.pages import upcoming_q
from archive.spreadsheets import FormulaSafeCSVMixin


def with_material(qs):
    """Annotate seminars with ``slide_count`` and ``has_reviewed_transcript`` (no N+1)."""
    reviewed = Transcript.objects.filter(
        seminar=OuterRef("pk"), review_state=Transcript.ReviewState.REVIEWED
    )
    return qs.annotate(
        slide_count=Count("slides", distinct=True), has_reviewed_transcript=Exists(reviewed)
    )


def missing_material_q() -> Q:
    no_video = Q(video_file__isnull=True) & Q(video_url="")
    return no_video | Q(slide_count=0) | Q(has_reviewed_transcript=False)


class YesNoColumn(BooleanColumn):
    """A tick or a cross titled "Yes" or "No" in the editor's language: Wagtail's BooleanColumn
    titles them "True" and "False", which a screen reader read out in English in the Swedish
    admin (editor review 7)."""

    cell_template_name = "archive/admin/yes_no_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value_label"] = yes_no(context["value"])
        return context


def material_columns():
    return [
        YesNoColumn("has_video", label=_("Video"), accessor=lambda p: p.has_video),
        Column("slide_count", label=_("Slides"), sort_key="slide_count"),
        YesNoColumn(
            "has_reviewed_transcript",
            label=_("Reviewed transcript"),
            sort_key="has_reviewed_transcript",
        ),
    ]


# Page listing with status columns -------------------------------------------------------------


class SeminarIndexView(IndexView):
    def get_base_queryset(self):
        return with_material(super().get_base_queryset())

    def get_valid_orderings(self):
        fields = ("slide_count", "has_reviewed_transcript")
        return [*super().get_valid_orderings(), *fields, *(f"-{f}" for f in fields)]


def seminar_start(page) -> dt.datetime | dt.date | None:
    """When ``page`` starts as the site tells it: local time, or only the local date when the
    clock time is not known (``time_known`` False: such a seminar is never given a clock time)."""
    start = getattr(page, "start", None)
    if start is None:
        return None
    local = timezone.make_naive(timezone.localtime(start))
    return local if getattr(page, "time_known", True) else local.date()


def day_text(value) -> str:
    """A date with its month abbreviated as the language writes months: "16 maj 2026" in
    Swedish, "16 May 2026" in English. Django's "M" capitalises every language's abbreviation
    ("16 Maj 2026", editor review 8); "b" is lower case in every language ("16 may 2026")."""
    lower_case = formats.date_format(value, "F").islower()
    return formats.date_format(value, "j b Y" if lower_case else "j M Y")


class SeminarDateColumn(Column):
    """The seminar's own date and time ("16 maj 2026, 08:00"), or only its date when the time
    is not known. Wagtail's DateColumn shows how long ago a time was: every upcoming seminar
    read "just now" and past ones "9 years ago"."""

    def get_value(self, instance):
        start = seminar_start(instance)
        if start is None:
            return ""
        day = day_text(start)
        return f"{day}, {start:%H:%M}" if isinstance(start, dt.datetime) else day


class DayColumn(Column):
    """A date as a date ("23 nov 2026"). Wagtail's DateColumn shows a date as the time since
    its midnight: a search made a minute ago read "18 hours ago"."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return day_text(value) if value else ""


def export_start(value) -> str:
    """A :func:`seminar_start` value in CSV: "2026-11-12 13:00", or "2026-11-12"."""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat() if value else ""


def yes_no(value) -> str:
    return str(_("Yes") if value else _("No"))


class SeminarListingViewSet(PageListingViewSet):
    model = SeminarPage
    index_view_class = SeminarIndexView
    icon = "media"
    menu_label = _("Seminars")
    menu_order = 150
    add_to_admin_menu = True
    name = "seminar_listing"
    columns = [
        *PageListingViewSet.columns,
        SeminarDateColumn("start", label=_("Date"), sort_key="start"),
        *material_columns(),
    ]


# Reports --------------------------------------------------------------------------------------


class RequestLanguageCSVMixin:
    """CSV rows in the editor's language. The CSV response streams: its rows are written after
    the admin view has returned and its language is no longer active, so headings and Yes/No
    came out in the site's default language."""

    def stream_csv(self, queryset):
        return _in_language(translation.get_language(), super().stream_csv(queryset))


def _in_language(language, lines):
    while True:
        with translation.override(language):
            line = next(lines, None)
        if line is None:
            return
        yield line


class MissingMaterialReport(RequestLanguageCSVMixin, FormulaSafeCSVMixin, ReportView):
    page_title = _("Seminars missing recordings")
    header_icon = "warning"
    model = SeminarPage
    any_permission_required = ["add", "change", "publish"]
    index_url_name = "archive_report_missing_material"
    index_results_url_name = "archive_report_missing_material_results"
    columns = [
        TitleColumn("title", label=_("Seminar"), url_name="wagtailadmin_pages:edit"),
        SeminarDateColumn("start", label=_("Date")),
        *material_columns(),
    ]
    list_export = ["title", "start", "has_video", "slide_count", "has_reviewed_transcript"]
    export_headings = {
        "has_video": _("Video"),
        "slide_count": _("Slides"),
        "has_reviewed_transcript": _("Reviewed transcript"),
    }
    export_filename = "seminars-missing-material"
    # Local time (date only when the time is not known); Yes/No in the editor's language in CSV
    # (XLSX keeps real dates and booleans, which the spreadsheet shows in its own language).
    custom_field_preprocess = {
        "start": {"csv": export_start},
        "has_video": {"csv": yes_no},
        "has_reviewed_transcript": {"csv": yes_no},
    }

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["start"] = seminar_start(item)
        return row

    def get_queryset(self):
        # Only the seminars the user may edit (the titles link to their editors): every
        # archive's seminars were listed and exported, private ones and drafts included, to
        # users who may edit one archive only (editor review 3).
        editable = PagePermissionPolicy().instances_user_has_permission_for(
            self.request.user, "change"
        )
        return (
            with_material(SeminarPage.objects.filter(~upcoming_q()))  # over, as the archive has it
            .filter(pk__in=editable.values("pk"))
            .filter(missing_material_q())
            .order_by("-start", "pk")
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["no_results_message"] = _(
            "Every seminar has video, slides and a reviewed transcript."
        )
        return context


class EmptySearchesReport(RequestLanguageCSVMixin, FormulaSafeCSVMixin, ReportView):
    page_title = _("Searches without results")
    header_icon = "search"
    index_url_name = "archive_report_empty_searches"
    index_results_url_name = "archive_report_empty_searches_results"
    columns = [
        Column("query", label=_("Query")),
        Column("count", label=_("Searches")),
        DayColumn("last", label=_("Last searched")),
    ]
    list_export = ["query", "count", "last"]
    export_headings = {"query": _("Query"), "count": _("Searches"), "last": _("Last searched")}
    export_filename = "searches-without-results"

    def get_queryset(self):
        from search.models import SearchLog

        # Only searches without filters: those are what the archive has nothing on.
        return (
            SearchLog.objects.filter(results=0, filters="")
            .exclude(query="")
            .values("query")
            .annotate(count=Count("id"), last=Max("date"))
            .order_by("-count", "-last", "query")
        )

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        # Search terms are editorial data: page editors and moderators only.
        if not PagePermissionPolicy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["no_results_message"] = _("No searches without results have been logged.")
        return context


# Registration helpers for wagtail_hooks.py ----------------------------------------------------


def admin_urls():
    return [
        path(
            "reports/seminars-missing-material/",
            MissingMaterialReport.as_view(),
            name="archive_report_missing_material",
        ),
        path(
            "reports/seminars-missing-material/results/",
            MissingMaterialReport.as_view(results_only=True),
            name="archive_report_missing_material_results",
        ),
        path(
            "reports/searches-without-results/",
            EmptySearchesReport.as_view(),
            name="archive_report_empty_searches",
        ),
        path(
            "reports/searches-without-results/results/",
            EmptySearchesReport.as_view(results_only=True),
            name="archive_report_empty_searches_results",
        ),
    ]


def report_menu_items():
    return [
        MenuItem(
            _("Seminars missing recordings"),
            reverse("archive_report_missing_material"),
            name="seminars-missing-material",
            icon_name="warning",
            order=1000,
        ),
        MenuItem(
            _("Searches without results"),
            reverse("archive_report_empty_searches"),
            name="searches-without-results",
            icon_name="search",
            order=1010,
        ),
    ]
