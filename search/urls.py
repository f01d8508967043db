"""Public search pages: /sok/ in Swedish, /en/search/ in English."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from search import views

urlpatterns = [
    path(_("search/"), views.search_page, name="search"),
    # Every moment of one seminar that says the search's words (/sok/57/?q=tillit).
    path(
        format_lazy("{}<int:page_id>/", _("search/")),
        views.seminar_moments,
        name="search_seminar_moments",
    ),
]
