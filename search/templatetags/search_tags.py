"""Small helpers for the search templates."""

from django import template

from search.engines.database import static_label

register = template.Library()


@register.filter
def timestamp(seconds) -> str:
    """Seconds as a clock reading: 754 → "12:34", 3754 → "1:02:34"."""
    total = int(float(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def format_label(value: str) -> str:
    return static_label("format", value)
