"""Reading a search request: query parameters → ``SearchQuery``, or ``BadParameter`` saying which
parameter is wrong and how. The search page and the JSON API both use this, so they accept
exactly the same parameters.

Multi-select facets repeat the parameter (``?speaker=a&speaker=b``); values of one facet combine
with OR, different facets with AND.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from archive.models import SeminarFormat, TalkLanguage
from config.api import BadParameter
from search.engines.base import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS, SearchQuery

DEFAULT_PAGE_SIZE = 20
MAX_VALUES = 20  # values per multi-select parameter
MAX_VALUE_LENGTH = 100
TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def _integer(params, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(
            name,
            _("%(name)s must be a whole number, not “%(value)s”.")
            % {"name": name, "value": raw[:20]},
        ) from None
    if not low <= value <= high:
        raise BadParameter(
            name,
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def _values(params, name: str) -> tuple[str, ...]:
    values = [
        unicodedata.normalize("NFC", v.strip()) for v in params.getlist(name) if v and v.strip()
    ]
    if any(_CONTROL.search(v) for v in values):
        raise BadParameter(
            name, _("A value of %(name)s contains control characters.") % {"name": name}
        )
    if len(values) > MAX_VALUES:
        raise BadParameter(
            name, _("Give at most %(n)s values of %(name)s.") % {"n": MAX_VALUES, "name": name}
        )
    if any(len(v) > MAX_VALUE_LENGTH for v in values):
        raise BadParameter(name, _("A value of %(name)s is too long.") % {"name": name})
    return tuple(dict.fromkeys(values))


def _choices(params, name: str, allowed) -> tuple[str, ...]:
    values = _values(params, name)
    for value in values:
        if value not in allowed:
            raise BadParameter(
                name,
                _("Unknown %(name)s “%(value)s”; use one of: %(allowed)s.")
                % {"name": name, "value": value[:40], "allowed": ", ".join(allowed)},
            )
    return values


def _years(params) -> tuple[int, ...]:
    years = []
    for value in _values(params, "year"):
        if not (value.isdigit() and len(value) == 4):
            raise BadParameter(
                "year",
                _("year must be a four-digit year, not “%(value)s”.") % {"value": value[:20]},
            )
        years.append(int(value))
    return tuple(years)


# The years a date range may name (the date fields offer the same): beyond them the day
# boundaries in UTC fall outside what Python's dates can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _date_bound(params, name: str, *, last: bool) -> dt.date | None:
    """A date, month or year (``2024-03-31``, ``2024-03``, ``2024``) as a day: a month or year
    means its first day, or with ``last`` its last (``to=2024`` is the end of 2024)."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    match = _DATE.match(raw)
    try:
        if not match:
            raise ValueError(raw)
        year, month, day = match.groups()
        year, month = int(year), int(month or (12 if last else 1))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise BadParameter(
                name,
                _("%(name)s must be a date between %(first)s and %(last)s.")
                % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR},
            )
        if day is None:
            day = calendar.monthrange(year, month)[1] if last else 1
        return dt.date(year, month, int(day))
    except ValueError:  # also a month or day that does not exist
        raise BadParameter(
            name,
            _(
                "%(name)s must be a date (2024-03-31), a month (2024-03) or a year (2024), "
                "not “%(value)s”."
            )
            % {"name": name, "value": raw[:20]},
        ) from None


class DateRangeReversed(BadParameter):
    """``to`` is before ``from``. The API names the parameters; the search page names its
    fields and keeps both dates in them, so they can be swapped (``start``, ``end``)."""

    def __init__(self, start: dt.date, end: dt.date):
        super().__init__(
            "to",
            _("to (%(to)s) is before from (%(from)s): swap them.")
            % {"to": end.isoformat(), "from": start.isoformat()},
        )
        self.start, self.end = start, end


def _date_range(params) -> tuple[dt.date | None, dt.date | None]:
    start, end = _date_bound(params, "from", last=False), _date_bound(params, "to", last=True)
    if start and end and end < start:
        raise DateRangeReversed(start, end)
    return start, end


def _flag(params, name: str) -> bool | None:
    raw = (params.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise BadParameter(name, _("%(name)s must be true or false.") % {"name": name})


# C0/C1 control characters (NUL included, which PostgreSQL text cannot hold).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalise_query_text(text: str) -> str:
    """Query text with control characters as spaces, runs of white space collapsed, and
    composed (NFC): text pasted from macOS or a PDF may write "ö" as "o" + U+0308, which
    matched no indexed word."""
    return unicodedata.normalize("NFC", " ".join(_CONTROL.sub(" ", text or "").split()))


def parse_search_params(params) -> SearchQuery:
    """A ``SearchQuery`` from request parameters (a QueryDict); raises ``BadParameter``."""
    q = normalise_query_text(params.get("q", ""))
    if len(q) > MAX_QUERY_LENGTH:
        raise BadParameter(
            "q",
            _("The search text is too long: at most %(n)s characters.") % {"n": MAX_QUERY_LENGTH},
        )
    sort = (params.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise BadParameter(
            "sort",
            _("Unknown sort “%(value)s”; use one of: %(allowed)s.")
            % {"value": sort[:40], "allowed": ", ".join(SORTS)},
        )
    date_from, date_to = _date_range(params)
    return SearchQuery(
        q=q,
        date_from=date_from,
        date_to=date_to,
        page=_integer(params, "page", 1, 1, MAX_PAGE),
        page_size=_integer(params, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        series=_values(params, "series"),
        speaker=_values(params, "speaker"),
        topic=_values(params, "topic"),
        year=_years(params),
        format=_choices(params, "format", SeminarFormat.values),
        lang=_choices(params, "lang", TalkLanguage.values),
        has_video=_flag(params, "has_video"),
        has_transcript=_flag(params, "has_transcript"),
        sort=sort,
    )


#: Facet name in results → request parameter that filters on it.
FACET_PARAMS = {
    "series": "series",
    "speaker": "speaker",
    "topic": "topic",
    "year": "year",
    "format": "format",
    "language": "lang",
    "has_video": "has_video",
    "has_transcript": "has_transcript",
}


def has_filters(query: SearchQuery) -> bool:
    return any(query.selected_values().values()) or bool(query.date_from or query.date_to)
