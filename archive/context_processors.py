from django.conf import settings
from django.urls import translate_url


def site_chrome(request):
    """What every page's header and footer need: the site name and the language switch."""
    path = request.get_full_path()
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
