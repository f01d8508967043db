"""A renamed speaker's or series' old addresses keep working.

A speaker's page and feeds, and a series' feeds, have the slug in their address
(``/talare/<slug>/``, ``/en/feeds/series/<slug>/rss/``), and those addresses end up in
citations, bookmarks and feed readers. When an editor changes the slug, every address the old
slug had (in both languages) gets a permanent redirect to the new one: Wagtail's redirects
(``wagtail.contrib.redirects``, listed under Settings → Redirects, where editors can see and
remove them), which answer only where the site would otherwise say 404. Redirects already
pointing at the old address are pointed at the new one (no chains), and one from the new
address is removed (a slug changed back).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from archive.models import Series, Speaker

#: The URL names whose addresses hold a speaker's or a series' slug.
ADDRESSES = {
    Speaker: ("speaker_detail", "feeds:speaker_rss", "feeds:speaker_atom"),
    Series: (
        "feeds:series_rss",
        "feeds:series_atom",
        "feeds:series_podcast",
        "feeds:series_ics",
    ),
}


def addresses(model, slug: str) -> dict[tuple[str, str], str]:
    """Every address of ``slug`` for ``model``: (language, URL name) → path, in each language
    of the site; an address that cannot hold the slug is left out (a speaker's page takes
    ASCII slugs only, the feeds any)."""
    paths = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in ADDRESSES[model]:
                try:
                    paths[language, name] = reverse(name, kwargs={"slug": slug})
                except NoReverseMatch:
                    continue
    return paths


def redirect_old_addresses(model, old_slug: str, new_slug: str) -> int:
    """Permanent redirects from ``old_slug``'s addresses to ``new_slug``'s; how many."""
    from wagtail.contrib.redirects.models import Redirect

    made = 0
    old_paths, new_paths = addresses(model, old_slug), addresses(model, new_slug)
    pairs = {(old_paths[k], new_paths[k]) for k in old_paths.keys() & new_paths.keys()}
    with transaction.atomic():
        for old, new in sorted(pairs):
            old_key, new_key = Redirect.normalise_path(old), Redirect.normalise_path(new)
            Redirect.objects.filter(redirect_link=old).update(redirect_link=new)
            Redirect.objects.filter(old_path=new_key, site=None).delete()
            Redirect.objects.update_or_create(
                old_path=old_key,
                site=None,
                defaults={"redirect_link": new, "redirect_page": None, "is_permanent": True},
            )
            made += 1
    return made


@receiver(pre_save, sender=Speaker)
@receiver(pre_save, sender=Series)
def _remember_old_slug(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    old = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        instance._old_slug = old


@receiver(post_save, sender=Speaker)
@receiver(post_save, sender=Series)
def _redirect_old_slug(sender, instance, raw=False, **kwargs):
    old = instance.__dict__.pop("_old_slug", None)
    if old and not raw:
        redirect_old_addresses(sender, old, instance.slug)
