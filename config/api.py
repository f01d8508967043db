"""The one JSON API of the site, documented by OpenAPI at /api/schema/ (browsable at /api/docs/).

Routers live with their concern: ``search.api`` (search, autocomplete) and ``archive.api``
(seminars, speakers, series, exports). Bad parameters answer 400 with
``{"error": "...", "parameter": "name"}``.
"""

from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

api = NinjaAPI(
    title="Seminariearkivet API",
    version="1.0.0",
    description="Search and read the seminar archive: seminars, speakers, series, transcripts.",
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/schema/",
)


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@api.exception_handler(BadParameter)
def bad_parameter(request, exc: BadParameter):
    return api.create_response(
        request, {"error": exc.message, "parameter": exc.parameter}, status=400
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


# The routers import ``BadParameter`` from this module, so they are added after it is defined.
from archive.api import router as archive_router  # noqa: E402
from search.api import router as search_router  # noqa: E402

api.add_router("/", search_router)
api.add_router("/", archive_router)
