"""Site-wide protective middleware: security headers, API rate limits, a clean 503.

- ``SecurityHeadersMiddleware`` sets a Content-Security-Policy that allows no inline scripts on the
  public site (Wagtail's admin keeps its own needs), ``frame-ancestors`` matching the framing policy
  of the response, and a Permissions-Policy. Django's SecurityMiddleware covers nosniff, referrer
  policy and HSTS (production settings).
- ``RateLimitMiddleware`` limits API requests per client address with django-ratelimit's counter
  (shared through the configured cache) and answers 429 with Retry-After, in the language the
  client asked for (it runs after ``ApiMiddleware``). Behind reverse proxies
  (``TRUSTED_PROXIES``) the address comes from X-Forwarded-For (``client_address``).
- ``DatabaseUnavailableMiddleware`` turns a locked or unreachable database into a 503 page that
  itself needs no database, instead of a traceback.
- ``AdminWritesAtomicMiddleware`` runs every admin request that writes in one transaction, so a
  save that fails half-way (a locked database, a crash) leaves nothing behind.
- ``ApiMiddleware`` gives every answer under /api/ its language (``hl``, else Accept-Language;
  never the language cookie), answers HEAD like GET without the body, and turns every error
  into the API's JSON ``{"error", "parameter"}`` (``server_error`` too).
- ``NulCharacterMiddleware`` answers 400 to a NUL character in the path or a query parameter,
  which PostgreSQL cannot look up (a 500 before).
- ``ContentEncodingMiddleware`` drops a ``Content-Encoding: None`` header: Wagtail's document view
  (``wagtail.utils.sendfile``) sets ``encoding or guessed_encoding``, which is None for a PDF, and
  a client may take "None" for a coding it has to undo.
"""

import ipaddress
import logging
import sqlite3
import sys
from http import HTTPStatus

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


def rate_limit_wait(request, group: str, rate: str, weight: int = 1) -> int | None:
    """Count ``weight`` requests of this client (``client_address``) in ``group`` against
    ``rate`` ("120/m"); the seconds it has to wait when it is over, else None. None too when
    the cache (the database, by default) could not count: no client is at fault, so none is
    told to back off (the request goes on, and answers 503 if the database is unavailable)."""
    from django_ratelimit.core import get_usage

    usage = None
    for _request in range(max(1, weight)):
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
        if not usage or usage["time_left"] < 0 or usage["should_limit"]:
            break
    if usage and usage["time_left"] < 0:
        log.warning("Rate limit %s not applied: the cache could not count", group)
        return None
    if usage and usage["should_limit"]:
        # This client's window (django-ratelimit staggers them per client) still counts at its
        # last second, so the next one starts time_left + 1 seconds from now.
        return usage["time_left"] + 1
    return None


class RateLimitMiddleware:
    """Per-client limit on /api/ requests (settings.API_RATE_LIMIT, e.g. "120/m"). An export
    (``EXPORT_PREFIX``) runs up to a hundred searches: it counts as ``API_EXPORT_WEIGHT``
    requests."""

    EXPORT_PREFIX = "/api/search/export"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = getattr(settings, "API_RATE_LIMIT", "")
        if rate and request.path.startswith("/api/"):
            weight = 1
            if request.path.startswith(self.EXPORT_PREFIX):
                weight = getattr(settings, "API_EXPORT_WEIGHT", 1)
            wait = rate_limit_wait(request, "api", rate, weight)
            if wait is not None:
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


# SQLite raises OperationalError for mistakes in the SQL too ("no such column"): only these
# messages are the database being unavailable for a while.
SQLITE_UNAVAILABLE = (
    "locked",
    "busy",
    "unable to open",
    "disk i/o",
    "database or disk is full",
    "readonly database",
    "interrupted",
)


def is_database_down(exc) -> bool:
    """True when ``exc`` means the database is unavailable for a while (locked, unreachable, the
    connection lost, a lock or statement timeout on PostgreSQL): a 503 with Retry-After. A
    mistake in the SQL is a bug, and stays a 500 with its traceback in the log."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, DatabaseError):
        return False
    message = str(exc).lower()
    if "locked" in message:
        return True
    if isinstance(exc, OperationalError):
        if isinstance(exc.__cause__, sqlite3.Error):
            return any(words in message for words in SQLITE_UNAVAILABLE)
        # PostgreSQL (psycopg): lost or refused connections, shutdowns, lock and statement
        # timeouts, too many connections, a full disk. A few resource limits that are bugs
        # (SQLSTATE class 54) come here too, and get the 503 page; they are logged as errors.
        return True
    return False


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
    """handler500: a database outage anywhere in the stack (middleware included) is a 503; the
    API's 500 is JSON, as its other errors are."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_down(exc):
        return database_unavailable(request, exc)
    if request.path_info.startswith("/api/"):
        return api_error(500, api_error_message(500))
    return HttpResponse(render_to_string("500.html"), status=500)


def api_language(request) -> tuple[str, str | None]:
    """The language an API request is answered in, and the bad ``hl`` value if there was one:
    ``hl`` (sv, en), else the first Accept-Language the site has, else Swedish. Never the
    language cookie the site's language switcher sets: an answer that depended on it would be
    one that shared caches cannot tell apart (``Vary: Accept-Language``), and the search page's
    autocomplete asks in the page's language."""
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from django.utils.translation.trans_real import parse_accept_lang_header

    from config.api import INTERFACE_LANGUAGE_PARAM

    codes = [code for code, _name in settings.LANGUAGES]
    requested = request.GET.get(INTERFACE_LANGUAGE_PARAM, "").strip()
    if requested:
        return (requested, None) if requested in codes else (settings.LANGUAGE_CODE, requested)
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if accepted == "*":
            break
        try:
            return get_supported_language_variant(accepted), None
        except LookupError:
            continue
    return settings.LANGUAGE_CODE, None


def api_error(status: int, message: str, parameter: str = "") -> JsonResponse:
    return JsonResponse({"error": message, "parameter": parameter}, status=status)


def api_error_message(status: int, method: str = "", allowed: str = "") -> str:
    """What an API error the view did not write itself says: an unknown address, a method the
    address does not take, a server error."""
    if status == 404:
        return _("No such address in the API. Its addresses are listed at /api/docs/.")
    if status == 405:
        return _("This address does not take the method %(method)s; it takes %(allowed)s.") % {
            "method": method,
            "allowed": allowed,
        }
    if status >= 500:
        return _("Something went wrong on the server. The error has been logged; try again.")
    return HTTPStatus(status).phrase


class ApiMiddleware:
    """What every answer under ``/api/`` shares:

    - its language (messages, labels, page links): ``hl`` if given (a value that is no language
      of the site is a 400 naming the choices), else Accept-Language, else Swedish
      (``api_language``). Django's LocaleMiddleware gives every unprefixed path the default
      language (the English search page's autocomplete once sent people to Swedish pages), and
      it reads the language cookie;
    - HEAD answered as GET without the body (RFC 9110 9.3.2: link checkers and monitors ask
      with HEAD; the API's routes take GET only, which answered 405);
    - every error as JSON ``{"error", "parameter"}``, as the API documents: the site's HTML
      404 page for an unknown address, Django's 500 page, ninja's text 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        from django.conf import settings
        from django.utils import translation

        from config.api import INTERFACE_LANGUAGE_PARAM

        language, bad_value = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        if bad_value is not None:
            codes = [code for code, _name in settings.LANGUAGES]
            response = api_error(
                400,
                _("hl must be one of %(choices)s, not “%(value)s”.")
                % {"choices": ", ".join(codes), "value": bad_value[:20]},
                INTERFACE_LANGUAGE_PARAM,
            )
        else:
            response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response = self.as_json(request, response, "HEAD" if head else request.method)
        if head:
            self.drop_body(response)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    @staticmethod
    def as_json(request, response, method: str) -> JsonResponse:
        status = response.status_code
        json = api_error(status, api_error_message(status, method, response.get("Allow", "")))
        for header in ("Allow", "Retry-After", "Cache-Control"):
            if header in response:
                json[header] = response[header]
        return json

    @staticmethod
    def drop_body(response) -> None:
        """No body, but the headers GET would have (Content-Length included)."""
        if response.streaming:
            response.streaming_content = []
            return
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)


class NulCharacterMiddleware:
    """A NUL character (``%00``) in the path or a query parameter is a 400 before any view
    reads it: PostgreSQL text cannot hold one, so a slug or filter with it raised a
    DataError (a 500) in every view that looked it up, while SQLite just found nothing. No
    address of the site has one, and no value a form or link sends does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameter = self.nul_in(request)
        if parameter is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return api_error(
                400,
                _(
                    "The address contains a NUL character (%(code)s), which no address or "
                    "parameter of the archive may contain."
                )
                % {"code": "%00"},
                parameter,
            )
        return HttpResponse(render_to_string("nul_character.html"), status=400)

    @staticmethod
    def nul_in(request) -> str | None:
        """Where a NUL character is: "" for the path, or the name of the query parameter;
        None when there is none."""
        if "\x00" in request.path_info:
            return ""
        if "%00" not in request.META.get("QUERY_STRING", ""):
            return None
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "")
        return ""
