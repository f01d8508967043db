"""Template tags that open the archive to machines: JSON-LD, social cards, feeds, oEmbed, citing."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from archive import structured_data
from archive.citation import citation_data, to_apa
from archive.feeds import subscribe_links

register = template.Library()


def _absolute(context):
    request = context.get("request")
    return request.build_absolute_uri if request else (lambda url: url)


@register.simple_tag(takes_context=True)
def seminar_structured_data(context, page):
    """Event (and VideoObject once recorded) as JSON-LD."""
    absolute = _absolute(context)
    return mark_safe(
        "".join(
            structured_data.json_ld_script(d)
            for d in structured_data.seminar_jsonld(page, absolute)
        )
    )


@register.simple_tag(takes_context=True)
def speaker_structured_data(context, speaker):
    return structured_data.json_ld_script(
        structured_data.speaker_jsonld(speaker, _absolute(context))
    )


def _meta_tags(tags) -> str:
    return format_html_join("\n  ", '<meta {}="{}" content="{}">', tags)


@register.simple_tag(takes_context=True)
def seminar_social_meta(context, page):
    absolute = _absolute(context)
    media = page.video_file if page.video_file_id else None
    image = structured_data.video_thumbnail(page, absolute)
    video = absolute(media.url) if media else ""
    return _meta_tags(
        structured_data.social_meta(
            title=page.seo_title or page.title,
            description=page.search_description or page.lead,
            url=absolute(page.get_url()),
            image=image,
            kind="video.other" if page.has_video else "website",
            locale=get_language(),
            video=video,
        )
    )


@register.simple_tag(takes_context=True)
def archive_social_meta(context, page):
    """OpenGraph and Twitter tags of the archive's front page (a shared link gets a card)."""
    absolute = _absolute(context)
    return _meta_tags(
        structured_data.social_meta(
            title=page.display_seo_title,
            description=page.search_description or page.display_intro,
            url=absolute(page.get_url()),
            image="",
            kind="website",
            locale=get_language(),
        )
    )


@register.simple_tag(takes_context=True)
def speaker_social_meta(context, speaker):
    absolute = _absolute(context)
    image = (
        absolute(speaker.photo.get_rendition("fill-400x400").url)
        if speaker.photo_id
        else absolute(static("img/podcast-cover.png"))
    )
    return _meta_tags(
        structured_data.social_meta(
            title=speaker.name,
            description=speaker.short_description() or speaker.bio[:200],
            url=absolute(speaker.get_absolute_url()),
            image=image,
            kind="profile",
            locale=get_language(),
        )
    )


@register.simple_tag(takes_context=True)
def oembed_discovery(context, page):
    """<link rel="alternate" type="application/json+oembed"> for recorded seminars."""
    if not page.has_video or not page.is_public:  # oEmbed serves public seminars only
        return ""
    absolute = _absolute(context)
    href = (
        absolute(reverse("api:oembed"))
        + "?"
        + urlencode({"url": absolute(page.get_url()), "format": "json"})
    )
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        href,
        page.title,
    )


@register.simple_tag
def feed_links(kind="archive", slug=None):
    """The feed list for ``kind`` (archive, series, speaker, topic): use with ``as``."""
    return subscribe_links(kind, slug or None)


@register.simple_tag
def feed_head_links(kind="archive", slug=None, title=""):
    """<link rel="alternate"> for the RSS and Atom feeds, for feed readers' autodiscovery."""
    links = [
        link
        for link in subscribe_links(kind, slug or None)
        if link["type"] in ("application/rss+xml", "application/atom+xml")
    ]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" href="{}" title="{}">',
        ((link["type"], link["url"], f"{title} ({link['label']})".strip()) for link in links),
    )


@register.inclusion_tag("components/cite.html", takes_context=True)
def cite_box(context, page):
    absolute = _absolute(context)
    public = page.is_public  # the API serves public seminars only
    return {
        "apa": to_apa(citation_data(page, absolute(page.get_url()))),
        "bibtex_url": reverse("api:seminar_cite_bib", kwargs={"slug": page.slug}) if public else "",
        "text_url": reverse("api:seminar_cite_txt", kwargs={"slug": page.slug}) if public else "",
        "ris_url": reverse("api:seminar_cite_ris", kwargs={"slug": page.slug}) if public else "",
        "csl_url": reverse("api:seminar_cite_csl", kwargs={"slug": page.slug}) if public else "",
    }
