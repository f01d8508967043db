"""Editor views in the Wagtail admin: what each seminar still lacks, and what visitors searched
for in vain.

- ``SeminarListingViewSet``: a "Seminars" listing (admin menu) with Video / Slides / Reviewed
  transcript columns for every seminar.
- ``MissingMaterialReport`` (Reports menu): past seminars missing any of video, slides or a
  reviewed transcript, with spreadsheet export.
- ``EmptySearchesReport`` (Reports menu): searches that found nothing, grouped by the normalised
  query with how often and when last (from ``search.models.SearchLog``, which keeps no IP or user).
"""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageListingViewSet

from archive.models import SeminarPage, Transcript
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


def material_columns():
    return [
        BooleanColumn("has_video", label=_("Video"), accessor=lambda p: p.has_video),
        Column("slide_count", label=_("Slides"), sort_key="slide_count"),
        BooleanColumn(
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


class SeminarDateColumn(Column):
    """The seminar's own date and time ("16 maj 2026, 08:00"). Wagtail's DateColumn shows
    how long ago a time was: every upcoming seminar read "just now" and past ones "9 years ago"."""

    def get_value(self, instance):
        start = getattr(instance, "start", None)
        if start is None:
            return ""
        local = timezone.localtime(start)
        return f"{formats.date_format(local, 'j M Y')}, {local:%H:%M}"


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


class MissingMaterialReport(FormulaSafeCSVMixin, ReportView):
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

    def get_queryset(self):
        return (
            with_material(SeminarPage.objects.filter(start__lt=timezone.now()))
            .filter(missing_material_q())
            .order_by("-start", "pk")
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["no_results_message"] = _(
            "Every seminar has video, slides and a reviewed transcript."
        )
        return context


class EmptySearchesReport(FormulaSafeCSVMixin, ReportView):
    page_title = _("Searches without results")
    header_icon = "search"
    index_url_name = "archive_report_empty_searches"
    index_results_url_name = "archive_report_empty_searches_results"
    columns = [
        Column("query", label=_("Query")),
        Column("count", label=_("Searches")),
        DateColumn("last", label=_("Last searched")),
    ]
    list_export = ["query", "count", "last"]
    export_headings = {"query": _("Query"), "count": _("Searches"), "last": _("Last searched")}
    export_filename = "searches-without-results"

    def get_queryset(self):
        from search.models import SearchLog

        return (
            SearchLog.objects.filter(results=0)
            .exclude(query="")
            .values("query")
            .annotate(count=Count("id"), last=Max("date"))
            .order_by("-count", "-last", "query")
        )

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        # Search terms are editorial data: page editors and moderators only.
        from wagtail.permission_policies.pages import PagePermissionPolicy

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
