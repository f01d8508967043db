from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import archive.converters  # noqa: F401 - registers <id:>
from archive import oembed, structured_data
from archive import views as archive_views
from archive.media_views import serve_document
from config.api import api

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view at its own address, with cache headers (archive.media_views).
    re_path(r"^documents/(\d+)/(.*)$", serve_document),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # English names without the /en/ prefix lead to the English pages.
    path("speakers/<slug:slug>/", RedirectView.as_view(url="/en/speakers/%(slug)s/")),
    path("search/", RedirectView.as_view(url="/en/search/", query_string=True)),
]

urlpatterns += [
    path("sitemap.xml", structured_data.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", structured_data.sitemap_section, name="sitemap_section"),
    path("robots.txt", structured_data.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path(_("speakers/<slug:slug>/"), archive_views.speaker_detail, name="speaker_detail"),
    path(_("feeds/"), include("archive.feed_urls")),
    path("embed/<id:page_id>/", oembed.embed_player, name="seminar_embed"),
    path("", include("search.urls")),
    path("", include("archive.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler500 = "config.middleware.server_error"

if getattr(settings, "SERVE_MEDIA", False) or getattr(settings, "MEDIA_ACCEL_REDIRECT", ""):
    # Uploaded media. Dev and tests: served by Django (with Range requests, so video can seek).
    # Production behind nginx: Django decides who may fetch a seminar's files (a draft's or a
    # private seminar's video must not be public) and nginx sends them (X-Accel-Redirect).
    from django.urls import re_path

    from archive.media_views import serve_media

    urlpatterns = [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media),
    ] + urlpatterns
