"""URL converters.

``uslug``: a slug as Wagtail and taggit make them, letters of any script included
(``öppna-data``, ``välfärd``). Django's ``slug`` converter takes ASCII only, so a topic named
"öppna data" or a page whose editor kept Wagtail's default Unicode slug could not be linked.
"""

from django.urls import register_converter


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")
