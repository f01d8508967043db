"""Public search pages: /sok/ in Swedish, /en/search/ in English."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from search import views

urlpatterns = [
    path(_("search/"), views.search_page, name="search"),
]
