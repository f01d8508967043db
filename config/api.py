"""The one JSON API of the site, documented by OpenAPI at /api/schema/ (browsable at /api/docs/).

Routers live with their concern: ``search.api`` (search, autocomplete) and ``archive.api``
(seminars, speakers, series, exports). What every endpoint shares lives here:

- Errors: every error under /api/ answers ``{"error": "...", "parameter": "name"}`` (``ErrorOut``;
  ``parameter`` is "" when no parameter is at fault): a bad parameter 400, a missing seminar,
  speaker or series 404, and (from ``config.middleware.ApiMiddleware``) an unknown address 404,
  a wrong method 405, too many requests 429, a server error 500 and an unavailable database 503.
  The schema documents them on every operation (``ArchiveAPI.get_openapi_schema``).
- Language: ``hl`` (sv, en) on any endpoint, else Accept-Language (``ApiMiddleware``).
- Times: ``api_datetime``, local ISO 8601 with its offset, or the date alone when the clock time
  is not known; paging: ``page_links``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

#: The query parameter naming the interface language of an answer (its messages, labels, dates
#: and links). ``lang`` is taken: it filters the search by the talks' language.
INTERFACE_LANGUAGE_PARAM = "hl"


class ErrorOut(Schema):
    error: str
    parameter: str = ""


COMMON_ERRORS = {
    "400": "A bad parameter: ``error`` says what is wrong, ``parameter`` names it",
    "429": "Too many requests from this address: wait Retry-After seconds",
    "500": "Server error (logged)",
    "503": "The archive is temporarily unavailable: retry after Retry-After seconds",
}
NOT_FOUND = "Nothing public at this address (``parameter`` names the path parameter)"


class ArchiveAPI(NinjaAPI):
    """NinjaAPI whose schema documents what every operation shares: the ``hl`` parameter and
    the JSON errors (``ErrorOut``)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        codes = [code for code, _name in settings.LANGUAGES]
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                parameters = operation.setdefault("parameters", [])
                if not any(p["name"] == INTERFACE_LANGUAGE_PARAM for p in parameters):
                    parameters.append(
                        {
                            "in": "query",
                            "name": INTERFACE_LANGUAGE_PARAM,
                            "required": False,
                            "schema": {"type": "string", "enum": codes},
                            "description": "Language of the answer: its messages, labels and "
                            "links. Without it, Accept-Language decides (Swedish by default).",
                        }
                    )
                responses = operation.setdefault("responses", {})
                errors = dict(COMMON_ERRORS)
                if "{" in path:
                    errors["404"] = NOT_FOUND
                for code, description in errors.items():
                    responses.setdefault(code, {"description": description, "content": error})
        return schema


api = ArchiveAPI(
    title="Seminariearkivet API",
    version="1.0.0",
    description=(
        "Search and read the seminar archive: seminars, speakers, series, transcripts. "
        'Every error answers JSON {"error": "...", "parameter": "name"}. '
        "`hl=sv|en` sets the language of any answer (else Accept-Language). "
        "Times are ISO 8601 in the archive's time zone with their offset; a seminar known only "
        "by its date (`time_known` false) has the date alone (2025-10-13). URLs are absolute "
        "(autocomplete's are site-relative: they are for the site's own search box)."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/schema/",
)


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class NotFound(Http404):
    """A 404 naming the path parameter that found nothing (answered as ``ErrorOut``)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@api.exception_handler(BadParameter)
def bad_parameter(request, exc: BadParameter):
    return api.create_response(
        request, {"error": exc.message, "parameter": exc.parameter}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(
        request,
        {
            "error": getattr(exc, "message", "") or _("Not found."),
            "parameter": getattr(exc, "parameter", ""),
        },
        status=404,
    )


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("query", "body", "path")]
    parameter = loc[-1] if loc else ""
    message = first.get("msg", "Invalid input")
    return api.create_response(
        request,
        {"error": f"{parameter}: {message}" if parameter else message, "parameter": parameter},
        status=400,
    )


def reject_unknown_parameters(request, schema) -> None:
    """400 for a query parameter ``schema`` (a ninja Schema of query parameters) does not take
    (``hl`` is taken everywhere): a misspelt or borrowed filter would otherwise be ignored and
    answer everything."""
    known = [field.alias or name for name, field in schema.model_fields.items()]
    known.append(INTERFACE_LANGUAGE_PARAM)
    for name in request.GET:
        if name not in known:
            raise BadParameter(
                name,
                _("Unknown parameter “%(name)s”; this address takes: %(known)s.")
                % {"name": name[:40], "known": ", ".join(known)},
            )


def check_page(page: int, num_pages: int) -> None:
    """400 for a page past the last (page 1 always exists, also of nothing)."""
    if page > num_pages:
        raise BadParameter(
            "page",
            _("page %(page)s does not exist: the last page is %(last)s.")
            % {"page": page, "last": num_pages},
        )


def page_links(request, page: int, num_pages: int) -> dict:
    """``next`` and ``previous``: this request's absolute URL at the next and previous page, or
    None at the ends."""

    def link(number):
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "next": link(page + 1) if page < num_pages else None,
        "previous": link(page - 1) if page > 1 else None,
    }


def api_datetime(value: dt.datetime | str | None, time_known: bool = True) -> str | None:
    """A time as every answer of the API gives it: ISO 8601 in the archive's time zone with its
    offset (2025-10-13T15:00:00+02:00), or only the local date (2025-10-13) when the clock time
    is not known; None for none. Takes a datetime or an ISO string (the search index's)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
        if value is None:
            return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    local = timezone.localtime(value)
    return local.isoformat() if time_known else local.date().isoformat()


# The routers import from this module, so they are added after it is defined.
from archive.api import router as archive_router  # noqa: E402
from search.api import router as search_router  # noqa: E402

api.add_router("/", search_router)
api.add_router("/", archive_router)
