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
