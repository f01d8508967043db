"""The seminar archive as the site's home page: what ``manage.py setup_site`` does on a fresh
installation (docker compose's web service runs it on every start) and ``load_demo_data`` does for
the demo.

Wagtail's first migration makes a "Welcome to your new Wagtail site!" page and a default site at
localhost:80 showing it; until an archive (SeminarIndexPage) replaces it, / shows that page and
``import_seminars`` has nowhere to put seminars.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site

SITE_NAME = "Seminariearkivet"
INDEX_SLUG = "seminarier"
# The default site that Wagtail's first migration creates, before anyone sets the address.
WAGTAIL_PLACEHOLDER_ADDRESS = ("localhost", 80)


def is_wagtail_welcome_page(page: Page | None) -> bool:
    """Wagtail's "Welcome to your new Wagtail site!" page (a plain Page, slug "home", under the
    root), which an installation never meant to keep."""
    return (
        page is not None and page.depth == 2 and page.slug == "home" and page.specific_class is Page
    )


def create_archive(**fields):
    """A published SeminarIndexPage under Wagtail's root (``fields`` as its title, slug, ...)."""
    from archive.models import SeminarIndexPage

    index = SeminarIndexPage(**{"title": "Seminarier", "slug": INDEX_SLUG, **fields})
    Page.get_first_root_node().add_child(instance=index)
    index.save_revision().publish()
    return index


def make_site_root(index: Page) -> bool:
    """Make ``index`` the default site's root page (creating the site if there is none), give a
    site still at Wagtail's placeholder address the one in BASE_URL, and delete Wagtail's welcome
    page if nothing lives under it. True if anything changed."""
    changed = False
    site = Site.objects.filter(is_default_site=True).first()
    # The address the site is served at (BASE_URL), so absolute links (sitemap, robots.txt)
    # point where it answers.
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    address = {
        "hostname": base.hostname or "localhost",
        "port": base.port or (443 if base.scheme == "https" else 80),
    }
    if site is None:
        Site.objects.create(**address, root_page=index, is_default_site=True, site_name=SITE_NAME)
        changed = True
    elif site.root_page_id != index.pk:
        site.root_page = index
        site.site_name = site.site_name or SITE_NAME
        if (site.hostname, site.port) == WAGTAIL_PLACEHOLDER_ADDRESS:
            # Wagtail's first migration makes a site at localhost:80; one set by hand stays.
            site.hostname, site.port = address["hostname"], address["port"]
        site.save()
        changed = True
    # Wagtail's welcome page is unreachable once the root moves.
    for welcome in Page.get_first_root_node().get_children().exact_type(Page).filter(slug="home"):
        if not welcome.get_children().exists():
            welcome.delete()
            changed = True
    return changed
