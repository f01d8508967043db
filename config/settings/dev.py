from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Offline embeds: demo YouTube/Vimeo URLs render without calling oEmbed providers.
WAGTAILEMBEDS_FINDERS = [{"class": "archive.embeds.OfflineEmbedFinder"}]
# Uploaded media served by Django with Range requests, so the video in the player can seek.
SERVE_MEDIA = True
