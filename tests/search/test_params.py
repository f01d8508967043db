"""Reading search parameters: one set of rules for the page and the API."""

import pytest
from django.http import QueryDict

from config.api import BadParameter
from search.params import parse_search_params


def parse(query_string):
    return parse_search_params(QueryDict(query_string))


def test_defaults():
    query = parse("")
    assert (query.q, query.page, query.page_size, query.sort) == ("", 1, 20, "relevance")
    assert query.has_video is None and query.series == ()


def test_values_are_read_and_normalised():
    query = parse(
        "q=+tillit++i+staten+&page=3&page_size=50&series=a&series=b&series=a"
        "&year=2024&format=webinar&lang=sv&has_video=true&has_transcript=0"
        "&sort=oldest&speaker=anna&topic="
    )
    assert query.q == "tillit i staten"
    assert (query.page, query.page_size, query.sort) == (3, 50, "oldest")
    assert query.series == ("a", "b")
    assert query.year == (2024,)
    assert query.format == ("webinar",) and query.lang == ("sv",)
    assert query.has_video is True and query.has_transcript is False
    assert query.speaker == ("anna",) and query.topic == ()
    assert query.offset == 100


@pytest.mark.parametrize(
    "query_string, parameter",
    [
        ("page=two", "page"),
        ("page=1001", "page"),
        ("page=-1", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("q=" + "x" * 201, "q"),
        ("sort=best", "sort"),
        ("format=gala", "format"),
        ("lang=fi", "lang"),
        ("year=24", "year"),
        ("has_transcript=perhaps", "has_transcript"),
        ("series=" + "&series=".join(str(i) for i in range(21)), "series"),
    ],
)
def test_bad_values_name_the_parameter(query_string, parameter):
    with pytest.raises(BadParameter) as error:
        parse(query_string)
    assert error.value.parameter == parameter
    assert error.value.message


def test_dates_months_and_years_bound_the_days_held():
    import datetime as dt

    query = parse("from=2024-03-05&to=2024-11-30")
    assert (query.date_from, query.date_to) == (dt.date(2024, 3, 5), dt.date(2024, 11, 30))
    query = parse("from=2024&to=2024")
    assert (query.date_from, query.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    query = parse("from=2024-02&to=2024-2")  # a month: its first and its last day (leap year)
    assert (query.date_from, query.date_to) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert parse("to=2023-04").date_to == dt.date(2023, 4, 30)
    assert parse("from=").date_from is None
    from search.params import has_filters

    assert has_filters(parse("from=2024")) and not has_filters(parse(""))


@pytest.mark.parametrize(
    "query_string, parameter, says",
    [
        ("from=2024-02-30", "from", "2024-03-31"),
        ("from=24", "from", "a year (2024)"),
        ("to=2024-13", "to", "a month (2024-03)"),
        ("to=igår", "to", "not “igår”"),
        ("from=0000", "from", "between 1900 and 2100"),
        ("from=0001-01-01", "from", "between 1900 and 2100"),
        ("to=9999", "to", "between 1900 and 2100"),
        ("to=9999-12-31", "to", "between 1900 and 2100"),
        ("from=2024-06-01&to=2024-05-31", "to", "swap them"),
    ],
)
def test_bad_dates_say_what_to_write(query_string, parameter, says):
    from django.utils import translation

    with translation.override("en"), pytest.raises(BadParameter) as error:
        parse(query_string)
    assert error.value.parameter == parameter
    assert says in error.value.message


def test_longest_allowed_values_pass():
    assert parse("q=" + "x" * 200 + "&page=1000&page_size=100").page == 1000


def test_control_characters_never_reach_the_database():
    """NUL and other control characters: spaces in the search text, a 400 in filter values."""
    query = parse_search_params(QueryDict("q=tillit%00styrning%07%0b"))
    assert query.q == "tillit styrning"
    with pytest.raises(BadParameter) as exc:
        parse_search_params(QueryDict("series=ett%00tv%C3%A5"))
    assert exc.value.parameter == "series"
