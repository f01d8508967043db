from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from archive.transcript_formats import time_param

register = template.Library()


@register.simple_tag
def seminar_when(seminar):
    """'16 maj 2018, 08:00–09:30' as a <time> element, without a clock time when none is known."""
    start = timezone.localtime(seminar.start)
    machine = start.isoformat() if seminar.time_known else start.date().isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, seminar.when_text)


@register.filter
def timecode(seconds):
    """Seconds as h:mm:ss or m:ss."""
    try:
        total = int(float(seconds))
    except (TypeError, ValueError):
        return ""
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@register.filter(name="time_param")
def time_param_filter(seconds):
    """Seconds as a ``?t=`` value (``archive.transcript_formats.time_param``)."""
    try:
        return time_param(float(seconds))
    except (TypeError, ValueError):
        return ""


@register.filter
def video_host(url) -> str:
    """The site a video link leads to ("example.org"), for a link that names where it goes."""
    from urllib.parse import urlsplit

    host = (urlsplit(str(url or "")).hostname or "").lower()
    return host.removeprefix("www.")


@register.filter
def filesize(num):
    """Bytes as '820 B', '12,3 kB' (Swedish) or '12.3 kB' (English), in the active locale."""
    try:
        num = float(num)
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "kB", "MB", "GB"):
        if num < 1024 or unit == "GB":
            digits = 0 if unit == "B" else 1
            return f"{formats.number_format(num, digits)}\u00a0{unit}"
        num /= 1024
    return ""


@register.simple_tag
def role_label(role, count=1):
    from archive.models import SpeakerRole

    return (
        dict(SpeakerRole.choices).get(role, role)
        if count == 1
        else {
            "speaker": _("Speakers"),
            "moderator": _("Moderators"),
            "panelist": _("Panelists"),
            "host": _("Hosts"),
        }.get(role, role)
    )
