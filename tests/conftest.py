import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from archive.factories import SeminarIndexPageFactory


@pytest.fixture
def archive_root(db):
    """A live seminar archive set as the default site's root, as a real install has it."""
    root = Page.get_first_root_node()
    index = SeminarIndexPageFactory(parent=root, title="Seminarier", slug="seminarier")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": index, "site_name": "Test"},
    )
    return index


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in the default language (Swedish).

    Django's test client leaves the last request's language active in the thread, and Wagtail's
    ``page.url`` adds the /en/ prefix while English is active: without this, results depend on
    which test ran before.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
