from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from archive import views as archive_views
from config.api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # English names without the /en/ prefix lead to the English pages.
    path("speakers/<slug:slug>/", RedirectView.as_view(url="/en/speakers/%(slug)s/")),
    path("search/", RedirectView.as_view(url="/en/search/", query_string=True)),
]

urlpatterns += i18n_patterns(
    path(_("speakers/<slug:slug>/"), archive_views.speaker_detail, name="speaker_detail"),
    path("", include("search.urls")),
    path("", include("archive.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
