"""System checks for settings that come from the environment and would otherwise fail late: a
malformed API_RATE_LIMIT passed every check and then made every /api/ request answer 500 (and
SEARCH_RATE_LIMIT every search page), and production without a mail server lost password
resets and moderation notifications unnoticed.

Registered from ``archive.apps.ArchiveConfig.ready``; ``manage.py check`` (and ``migrate``, which
docker compose's web service runs before gunicorn starts) reports them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core import checks

# What django-ratelimit's parser (django_ratelimit.core._split_rate) reads: a number of requests,
# "/", then a period: s, m, h or d, optionally with a multiplier ("100/5m"). Its own pattern
# matches any prefix, so "120/M" meant 120 a second and "120" crashed every request.
RATE_RE = re.compile(r"([1-9]\d*)/(\d*)([smhd])")


@checks.register("config")
def check_rate_limits(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """API_RATE_LIMIT (config.E001) and SEARCH_RATE_LIMIT (config.E002)."""
    messages = []
    for name, check_id in (("API_RATE_LIMIT", "config.E001"), ("SEARCH_RATE_LIMIT", "config.E002")):
        rate = getattr(settings, name, "")
        if not rate:
            continue  # no limit
        match = RATE_RE.fullmatch(rate) if isinstance(rate, str) else None
        if match and int(match.group(2) or 1) > 0:
            continue
        messages.append(
            checks.Error(
                f"{name} must look like 120/m (requests / s, m, h or d), got {rate!r}.",
                hint=(
                    "Write a number of requests, a slash and a period in lower case: 120/m (a "
                    "minute), 2000/h (an hour), 10/s, 50000/d, or 300/5m for five minutes. "
                    "Leave it empty for no limit."
                ),
                id=check_id,
            )
        )
    return messages


@checks.register("config", deploy=True)
def check_email(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Production settings without a mail server (``ARCHIVE_EMAIL_HOST_SET`` says whether
    EMAIL_HOST was given) or with a sender address no mail server accepts."""
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    if settings.DEBUG or not smtp:
        return []
    messages = []
    if not getattr(settings, "ARCHIVE_EMAIL_HOST_SET", True):
        messages.append(
            checks.Warning(
                "No mail server is set: password resets and moderation notifications go to an "
                "SMTP server on localhost:25, which the Docker image does not run, and fail "
                "with only a line in the log.",
                hint=(
                    "Set EMAIL_HOST (with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and "
                    "EMAIL_USE_TLS as your mail provider says) and DEFAULT_FROM_EMAIL. If this "
                    "machine runs a mail server, set EMAIL_HOST=localhost."
                ),
                id="config.W001",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.lower().endswith("@localhost"):
        messages.append(
            checks.Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail servers refuse "
                "or bin mail from a localhost address.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your domain, e.g. arkiv@example.se.",
                id="config.W002",
            )
        )
    return messages
