import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Page, Site

from archive.factories import SeminarIndexPageFactory


@pytest.fixture
def wagtail_base_rows(transactional_db):
    """Tests that need committed data (browser tests, worker processes) run transactionally, so
    Django flushes every table after each of them, including the rows Wagtail's migrations made.
    Recreate those the archive needs (default locale, page root, collection root) so every such
    test starts from the same state."""
    from wagtail.models import Collection, Locale

    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


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
