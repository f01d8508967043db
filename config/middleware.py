"""Site-wide protective middleware: security headers, API rate limits, a clean 503.

- ``SecurityHeadersMiddleware`` sets a Content-Security-Policy that allows no inline scripts on the
  public site (Wagtail's admin keeps its own needs), ``frame-ancestors`` matching the framing policy
  of the response, and a Permissions-Policy. Django's SecurityMiddleware covers nosniff, referrer
  policy and HSTS (production settings).
- ``RateLimitMiddleware`` limits API requests per client address with django-ratelimit's counter
  (shared through the configured cache) and answers 429 with Retry-After. Behind reverse proxies
  (``TRUSTED_PROXIES``) the address comes from X-Forwarded-For (``client_address``).
- ``DatabaseUnavailableMiddleware`` turns a locked or unreachable database into a 503 page that
  itself needs no database, instead of a traceback.
- ``AdminWritesAtomicMiddleware`` runs every admin request that writes in one transaction, so a
  save that fails half-way (a locked database, a crash) leaves nothing behind.
- ``ContentEncodingMiddleware`` drops a ``Content-Encoding: None`` header: Wagtail's document view
  (``wagtail.utils.sendfile``) sets ``encoding or guessed_encoding``, which is None for a PDF, and
  a client may take "None" for a coding it has to undo.
"""

import ipaddress
import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

log = logging.getLogger("archive")

# Sources the public pages need: our own static files, the YouTube/Vimeo players and their APIs.
PLAYER_SCRIPT_SOURCES = (
    "https://www.youtube.com",
    "https://s.ytimg.com",
    "https://player.vimeo.com",
)
PLAYER_FRAME_SOURCES = (
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
)


def content_security_policy(frame_ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(("'self'", *PLAYER_SCRIPT_SOURCES)),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob: https://i.ytimg.com https://i.vimeocdn.com",
        "media-src": "'self' blob:",
        "frame-src": " ".join(PLAYER_FRAME_SOURCES),
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


class SecurityHeadersMiddleware:
    admin_prefixes = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefixes):
            # The Wagtail admin needs inline scripts; it is not framed by others.
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
            return response
        embeddable = getattr(response, "xframe_options_exempt", False)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy("*" if embeddable else "'self'")
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class AdminWritesAtomicMiddleware:
    """Run each admin view that may write (any method but GET, HEAD, OPTIONS) in one transaction.

    Wagtail's page editor writes a new page in steps: the page row (a tree insert), then its
    revision, its log entry and its references, each committed on its own. When a later step
    failed ("database is locked" while another editor saved), the editor got the 503 page but the
    half-made page stayed behind: in the page tree and the editor, without a revision. Django's
    ``ATOMIC_REQUESTS`` would do this for every request, but on SQLite a read transaction that
    later writes cannot wait for the lock and fails at once, and public GETs write too (the
    search log). So only admin writes: the view runs inside ``atomic()`` (as ``ATOMIC_REQUESTS``
    does it: an exception rolls everything back before it becomes an error page). Last in
    MIDDLEWARE, so the CSRF check has run; a view marked ``non_atomic_requests`` is left alone."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.SAFE_METHODS:
            return None
        if not self.prefix:
            from django.urls import reverse

            self.prefix = reverse("wagtailadmin_home")  # "/admin/" (config/urls.py)
        if not request.path_info.startswith(self.prefix):
            return None
        if "default" in getattr(view_func, "_non_atomic_requests", ()):
            return None
        try:
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except Exception as exc:
            # Rolled back. Django calls no process_exception for a view run from here, so
            # the database's own failures get their 503 page here, as from
            # DatabaseUnavailableMiddleware; anything else takes Django's usual way.
            if is_database_down(exc):
                return database_unavailable(request, exc)
            raise


class ContentEncodingMiddleware:
    """Remove a Content-Encoding header that names no coding ("None", empty)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.headers.get("Content-Encoding", "x").strip() in ("", "None"):
            del response.headers["Content-Encoding"]
        return response


def client_address(request) -> str:
    """The address of the client that sent ``request`` (django-ratelimit's ``ip`` key).

    Behind ``settings.TRUSTED_PROXIES`` reverse proxies the connection comes from the nearest
    proxy, and each proxy appended the address it was connected from to X-Forwarded-For. The
    client is the entry that many places from the right of the chain (the header plus
    REMOTE_ADDR): anything further left came from the client and may be forged. A chain shorter
    than that did not pass every proxy, so its leftmost entry is taken. REMOTE_ADDR is used when
    no proxy is trusted or the chosen entry is not an IP address."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if not proxies:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [a.strip() for a in forwarded.split(",") if a.strip()] + [remote]
    return _ip_address(chain[max(0, len(chain) - 1 - proxies)]) or remote


def _ip_address(text: str) -> str:
    """``text`` as an IP address without a port ("[2001:db8::1]:443", "192.0.2.1:80"); "" if it
    is none."""
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return ""


class RateLimitMiddleware:
    """Per-client limit on /api/ requests (settings.API_RATE_LIMIT, e.g. "120/m")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = getattr(settings, "API_RATE_LIMIT", "")
        if rate and request.path.startswith("/api/"):
            from django_ratelimit.core import get_usage

            usage = get_usage(request, group="api", key="ip", rate=rate, increment=True)
            if usage and usage["time_left"] < 0:
                # The cache (the database, by default) could not count: no client is at fault,
                # so none is told to back off; the request goes on, and answers 503 if the
                # database is unavailable (DatabaseUnavailableMiddleware).
                log.warning("API rate limit not applied: the cache could not count")
            elif usage and usage["should_limit"]:
                # This client's window (django-ratelimit staggers them per client) still
                # counts at its last second, so the next one starts time_left + 1 seconds
                # from now.
                wait = usage["time_left"] + 1
                response = JsonResponse(
                    {
                        "error": _(
                            "Too many requests from your address. "
                            "Wait %(seconds)d seconds and retry."
                        )
                        % {"seconds": wait},
                        "parameter": "",
                    },
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)


DATABASE_DOWN = (OperationalError, InterfaceError)


def is_database_down(exc) -> bool:
    return isinstance(exc, DATABASE_DOWN) or (
        isinstance(exc, DatabaseError) and "locked" in str(exc).lower()
    )


def database_unavailable(request, exc):
    log.error("Database unavailable for %s: %s", request.path, exc)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "error": _("The archive is temporarily unavailable. Try again in a minute."),
                "parameter": "",
            },
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Views that hit a locked or unreachable database answer 503 (see also ``server_error``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable(request, exception) if is_database_down(exception) else None


def server_error(request):
    """handler500: a database outage anywhere in the stack (middleware included) is a 503."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_down(exc):
        return database_unavailable(request, exc)
    return HttpResponse(render_to_string("500.html"), status=500)


class ApiLanguageMiddleware:
    """The API (``/api/``, outside the language-prefixed URLs) answers in the language the
    client asks for with ``Accept-Language`` (Swedish by default): its messages, labels and page
    links. Django's LocaleMiddleware gives every unprefixed path the default language, so the
    English search page's autocomplete once sent people to Swedish pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        from django.utils import translation

        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response
