"""``manage.py setup_site``: make a fresh installation show the seminar archive at /.

After ``migrate`` a new database has Wagtail's "Welcome to your new Wagtail site!" page as the
home page and no seminar archive, so ``import_seminars`` has nowhere to put seminars. This
command creates the archive (a published SeminarIndexPage, "Seminarier" / "Seminars"), makes it
the default site's root page and deletes the welcome page. It is safe to run on every start
(docker compose's web service does): an archive that is already the home page, or a home page
someone chose by hand, is left as it is.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Site

from archive.models import SeminarIndexPage
from archive.site_root import create_archive, is_wagtail_welcome_page, make_site_root


class Command(BaseCommand):
    help = (
        "Create the seminar archive and make it the site's home page, replacing Wagtail's "
        "welcome page (safe to re-run: a site already set up is left as it is)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--title",
            default="Seminarier",
            help="Title of a new archive on the Swedish site (default: Seminarier).",
        )
        parser.add_argument(
            "--title-en",
            default="Seminars",
            help="Its title on the English site, /en/ (default: Seminars).",
        )

    def handle(self, *args, title, title_en, **options):
        with transaction.atomic():
            site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
            home = site.root_page.specific if site else None
            if isinstance(home, SeminarIndexPage):
                self.stdout.write(
                    f"The home page is already the seminar archive “{home.title}” "
                    f"(page id {home.pk}): nothing to do."
                )
                return
            if home is not None and not is_wagtail_welcome_page(home) and home.depth > 1:
                # Someone chose this home page; the archive may live below it.
                self.stdout.write(
                    f"The home page is “{home.title}” (page id {home.pk}), chosen by hand: left "
                    "as it is."
                )
                if not SeminarIndexPage.objects.exists():
                    self.stderr.write(
                        "There is no seminar archive yet, so import_seminars has nowhere to put "
                        "seminars: add a “Seminar archive” page in the admin (Pages), or make "
                        "Wagtail's default site show its welcome page again and re-run this."
                    )
                return
            # An archive someone already made under the root (a published one first).
            index = SeminarIndexPage.objects.filter(depth=2).order_by("-live", "path").first()
            created = index is None
            if created:
                index = create_archive(title=title, title_en=title_en)
            make_site_root(index)
        done = (
            f"Created the seminar archive “{index.title}” (page id {index.pk}) and made it"
            if created
            else f"Made the seminar archive “{index.title}” (page id {index.pk})"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} the home page. Give it an introduction in the admin: "
                f"/admin/pages/{index.pk}/edit/"
            )
        )
        if not index.live:
            self.stderr.write(
                f"“{index.title}” is a draft, so the home page answers 404 until it is "
                f"published: /admin/pages/{index.pk}/edit/"
            )
