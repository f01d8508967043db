"""Wagtail admin view "Import announcement": paste an old seminar page, get a draft seminar.

The text is parsed by :func:`archive.importers.announcement.parse_announcement` (nothing is
fetched from the web) and saved as a draft under the chosen archive; the editor lands in the
draft's edit view with a message listing what the parser was unsure of.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from archive.importers.announcement import (
    AnnouncementError,
    create_draft,
    parse_announcement,
    same_seminars,
)
from archive.models import SeminarIndexPage

MAX_TEXT_LENGTH = 200_000


class AnnouncementImportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Announcement text or HTML"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=gettext_lazy(
            "Copy the whole old page (or its HTML source) and paste it here. Title, date and "
            "time, place, speakers, moderator, registration deadline and contact are recognised."
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=gettext_lazy(
            "For dates written without a year (“31 maj”). Leave empty to use the year of a "
            "“Publicerad” date in the text."
        ),
    )
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Archive"),
        queryset=SeminarIndexPage.objects.none(),  # the user's: see __init__
        empty_label=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "You cannot add seminars to that archive. Choose one of the archives listed."
            )
        },
    )
    source_url = forms.URLField(
        label=gettext_lazy("Address of the old page"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=gettext_lazy("Kept on the seminar for reference; it is not fetched."),
    )
    create_anyway = forms.BooleanField(
        label=gettext_lazy("Create a draft even if the archive seems to have this seminar"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the archives the user may add a seminar to: another one was offered and, chosen,
        # answered "no permission" and lost the pasted text (editor review 4).
        self.fields["parent"].queryset = SeminarIndexPage.objects.filter(
            pk__in=addable_archive_ids(user)
        ).order_by("path")


class ImportAnnouncementView(WagtailAdminTemplateMixin, FormView):
    form_class = AnnouncementImportForm
    template_name = "archive/admin/import_announcement.html"
    page_title = gettext_lazy("Import announcement")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        parent_id = self.request.GET.get("parent", "")
        if parent_id.isdigit():
            initial["parent"] = parent_id
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.get_full_path(),
            submit_button_label=_("Create draft"),
            submit_button_active_label=_("Creating…"),
        )
        return context

    def form_valid(self, form):
        parent = form.cleaned_data["parent"]  # one the user may add to (the form's choices)
        try:
            announcement = parse_announcement(
                form.cleaned_data["text"], year=form.cleaned_data["year"]
            )
            existing = list(
                same_seminars(announcement, parent, form.cleaned_data["source_url"] or "")[:5]
            )
            if existing and not form.cleaned_data["create_anyway"]:
                form.add_error(
                    None,
                    format_html(
                        "{} <ul>{}</ul>",
                        _(
                            "The archive already has this seminar (the same title on the same "
                            "day, or imported from the same page). Nothing was created. Edit "
                            "it, or tick “Create a draft even if…” to make another."
                        ),
                        format_html_join(
                            "",
                            '<li><a href="{}">{}</a> ({})</li>',
                            (
                                (
                                    reverse("wagtailadmin_pages:edit", args=[page.pk]),
                                    page.title,
                                    _("published") if page.live else _("draft"),
                                )
                                for page in existing
                            ),
                        ),
                    ),
                )
                return self.form_invalid(form)
            with transaction.atomic():
                page = create_draft(
                    announcement,
                    parent,
                    user=self.request.user,
                    source_url=form.cleaned_data["source_url"] or "",
                )
        except AnnouncementError as exc:
            form.add_error(exc.field, str(exc))
            return self.form_invalid(form)
        if announcement.unsure:
            messages.warning(
                self.request,
                format_html(
                    "{} <ul>{}</ul>",
                    _("Draft “%(title)s” created. Please check:") % {"title": page.title},
                    format_html_join("", "<li>{}</li>", ((item,) for item in announcement.unsure)),
                ),
            )
        else:
            messages.success(self.request, _("Draft “%(title)s” created.") % {"title": page.title})
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_import(request.user)


class ImportAnnouncementViewSet(ViewSet):
    """Registers the view and its menu item (admin menu, next to "Archive")."""

    menu_item_class = ImportMenuItem
    name = "import_announcement"
    icon = "download"
    menu_label = gettext_lazy("Import announcement")
    menu_order = 201
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", ImportAnnouncementView.as_view(), name="index")]


def addable_archive_ids(user) -> list[int]:
    """The archives ``user`` may add a seminar to."""
    return [
        archive.pk
        for archive in SeminarIndexPage.objects.all()
        if archive.permissions_for_user(user).can_add_subpage()
    ]


def user_can_import(user) -> bool:
    """Whether ``user`` may add a seminar to any archive (who sees the menu item and view)."""
    return any(
        p.permissions_for_user(user).can_add_subpage() for p in SeminarIndexPage.objects.all()[:50]
    )
