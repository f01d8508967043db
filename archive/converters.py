"""URL converters.

``uslug``: a slug as Wagtail and taggit make them, letters of any script included
(``öppna-data``, ``välfärd``). Django's ``slug`` converter takes ASCII only, so a topic named
"öppna data" or a page whose editor kept Wagtail's default Unicode slug could not be linked.

``id``: a database id (a page's pk). Django's ``int`` takes any number of digits, and a number
larger than the database's integers (``/embed/99999999999999999999/``) reached the ORM, where
SQLite raised ``OverflowError``: a 500 for a garbled link. ``id`` matches only numbers that fit
a signed 64-bit integer (SQLite's INTEGER, PostgreSQL's bigint; PostgreSQL's smaller integer
columns Django answers itself, with no rows), so a larger one is a plain 404.
"""

from django.urls import register_converter
from django.urls.converters import IntConverter


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DatabaseIdConverter(IntConverter):
    regex = r"[0-9]{1,19}"
    MAX = 2**63 - 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > self.MAX:
            raise ValueError("larger than any database id")  # no match: the URL is a 404
        return number


register_converter(UnicodeSlugConverter, "uslug")
register_converter(DatabaseIdConverter, "id")
