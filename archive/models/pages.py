"""The archive's pages: the archive root and one page per seminar."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Length, Substr
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel

from archive.blocks import SeminarBodyBlock
from archive.models.snippets import WithoutControlCharacters
from archive.transcript_formats import text_without_control_characters

logger = logging.getLogger(__name__)


class SeminarFormat(models.TextChoices):
    CONFERENCE_SESSION = "conference_session", _("Conference session")
    BREAKFAST_MEETING = "breakfast_meeting", _("Breakfast meeting")
    WEBINAR = "webinar", _("Webinar")
    LECTURE = "lecture", _("Lecture")
    PANEL = "panel", _("Panel")
    OTHER = "other", _("Other")


class SpeakerRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")
    PANELIST = "panelist", _("Panelist")
    HOST = "host", _("Host")


#: The roles that lead a seminar rather than speak at it: wherever a seminar's people are listed
#: (cards, feeds, search hits, the search page's speaker facet, exports) they are named as its
#: moderator, never among its speakers. Plain strings, so search documents can be checked too.
LEADING_ROLES = frozenset({SpeakerRole.MODERATOR.value, SpeakerRole.HOST.value})


class TalkLanguage(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def topics_of(pages):
    """The tags used by any of ``pages``."""
    from taggit.models import Tag

    return Tag.objects.filter(archive_seminartopic_items__content_object__in=pages).distinct()


def years_with_seminars(qs) -> list[int]:
    """The years (local time) in which ``qs`` has seminars, newest first.

    One range query and one pass comparing ``start`` with each New Year's midnight: no
    per-row date function (on SQLite ``dates()`` calls one in Python for every row)."""
    bounds = qs.order_by().aggregate(first=models.Min("start"), last=models.Max("start"))
    if bounds["first"] is None:
        return []
    first, last = (timezone.localtime(bounds[key]).year for key in ("first", "last"))
    zone = timezone.get_current_timezone()
    year = Case(
        *[
            When(start__lt=dt.datetime(y + 1, 1, 1, tzinfo=zone), then=Value(y))
            for y in range(first, last)
        ],
        default=Value(last),
        output_field=IntegerField(),
    )
    years = qs.order_by().annotate(_year=year).values_list("_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def routable(pages):
    """``pages`` (a page queryset) without the pages no Site serves. Wagtail gives a page an
    address, and routes to it, only at or below a site's root page: a seminar moved into a second
    archive made directly under the tree's root, which no site shows, has none (its feed items,
    search hits and speaker-page links pointed nowhere and the feeds answered 500). A live page
    below an unpublished one still has its address (Wagtail routes through the unpublished
    page), so it stays. A subquery, so building the queryset reads nothing."""
    from wagtail.models import Site

    site_roots = Site.objects.filter(
        root_page__path=Substr(OuterRef("path"), 1, Length("root_page__path"))
    )
    return pages.filter(Exists(site_roots))


def public_seminars():
    """Live seminars that anyone may see at their address: never drafts, never view-restricted
    ones, never one that no site serves (:func:`routable`)."""
    return routable(SeminarPage.objects.live().public())


def main_archive():
    """The archive that feeds, the API and speaker pages link to as "the archive": a live,
    public archive page that a site serves, the default site's root page when it is one. None
    when there is no such archive (it may be unpublished while its seminars are still served)."""
    from wagtail.models import Site

    default_root = Site.objects.filter(is_default_site=True, root_page=OuterRef("pk"))
    return (
        routable(SeminarIndexPage.objects.live().public())
        .annotate(_default_root=Exists(default_root))
        .order_by("-_default_root", "path")
        .first()
    )


def upcoming_q(now: dt.datetime | None = None) -> Q:
    """Seminars not over at ``now`` (the archive's "upcoming"). One known only by its date
    (``time_known`` false: its start is the local midnight) is upcoming through the whole of its
    (last) day: it used to turn "past", and leave the calendar feed, at midnight of its own day."""
    now = now or timezone.now()
    today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    timed = Q(end__gte=now) | Q(end__isnull=True, start__gte=now)
    dated = Q(end__gte=today) | Q(end__isnull=True, start__gte=today)
    return (Q(time_known=True) & timed) | (Q(time_known=False) & dated)


def public_speakers():
    """Speakers of at least one public seminar. Only they have a public page, feed or API
    entry: a speaker who is only on drafts or private seminars is not to be found by slug."""
    from archive.models.snippets import Speaker

    return Speaker.objects.filter(
        pk__in=SeminarSpeaker.objects.filter(page__in=public_seminars()).values("speaker_id")
    )


def public_series():
    """Series with at least one public seminar (the same rule as :func:`public_speakers`)."""
    from archive.models.snippets import Series

    return Series.objects.filter(pk__in=public_seminars().values("series_id"))


def public_topics():
    """Topics (tags) of at least one public seminar (the rule of :func:`public_speakers`)."""
    from taggit.models import Tag

    return Tag.objects.filter(
        pk__in=SeminarTopic.objects.filter(content_object__in=public_seminars()).values("tag_id")
    )


def content_stamp() -> str:
    """A value that changes whenever what the archive shows publicly may have: a page
    published, unpublished, created, deleted, moved or made private (Wagtail logs each), a
    speaker or topic added to or taken off a seminar, a snippet edited in the admin. For keys of
    caches of things read over the whole archive; one query of counts and largest ids.

    Not seen: a name changed outside Wagtail (a shell, a data migration), which logs nothing;
    such a cache shows the old name until it expires (:data:`FILTER_OPTIONS_SECONDS`)."""
    import hashlib

    from django.db import connection
    from wagtail.models import ModelLogEntry, PageLogEntry, PageViewRestriction

    from archive.models.snippets import Series, Speaker

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    page, live = table(Page), connection.ops.quote_name("live")
    parts = [
        f"SELECT COUNT(*) FROM {page} WHERE {live}",
        f"SELECT MAX(last_published_at) FROM {page}",
        f"SELECT MAX(latest_revision_created_at) FROM {page}",
        # random for each new page: two databases never share a stamp (nor, in tests, two
        # databases rolled back to reuse the same ids)
        f"SELECT translation_key FROM {page} ORDER BY translation_key DESC LIMIT 1",
    ]
    for model in (Page, SeminarSpeaker, SeminarTopic, Speaker, Series, Tag, PageViewRestriction):
        parts += [f"SELECT COUNT(*) FROM {table(model)}", f"SELECT MAX(id) FROM {table(model)}"]
    # The logs only grow (a row for each publish and edit): their largest id is enough, and
    # counting them would read more on every list request as the archive ages.
    parts += [f"SELECT MAX(id) FROM {table(model)}" for model in (PageLogEntry, ModelLogEntry)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({part})" for part in parts))
        values = ":".join(str(value) for value in cursor.fetchone())
    return hashlib.sha1(values.encode()).hexdigest()[:16]


def with_card_data(qs):
    """``qs`` with what a seminar card shows (series, venue, speakers, whether there are slides
    and a transcript) read for all its seminars at once: a fixed number of queries per listing
    instead of two or three per card."""
    from archive.models.transcripts import Transcript

    return (
        qs.select_related("series", "venue")
        .prefetch_related(
            Prefetch(
                "seminar_speakers",
                queryset=SeminarSpeaker.objects.select_related("speaker", "speaker__photo"),
            ),
        )
        .annotate(
            card_has_slides=Exists(SeminarSlide.objects.filter(page=OuterRef("pk"))),
            card_has_transcript=Exists(Transcript.objects.filter(seminar=OuterRef("pk"))),
        )
    )


class SiteAddressCopyForm(CopyForm):
    """Wagtail's copy form (also for an alias), refusing the same slugs as the page form: the
    copy view does not go through that form, and a live copy at /sok/ could not be reached."""

    def clean(self):
        from archive.validators import site_address_error

        cleaned = super().clean()
        slug = cleaned.get("new_slug")
        parent = cleaned.get("new_parent_page") or self.page.get_parent()
        if slug and "new_slug" not in self.errors:
            error = site_address_error(parent, slug)
            if error:
                self.add_error("new_slug", error)
        return cleaned


#: The longest the list's filter choices stay cached (their key changes with the content).
FILTER_OPTIONS_SECONDS = 3600


class SeminarIndexPage(Page):
    """The archive root: every seminar below it, upcoming first, then past newest first."""

    copy_form_class = SiteAddressCopyForm

    intro = models.TextField(_("introduction"), blank=True)
    title_en = models.CharField(
        _("English title"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English site (/en/); the title above when empty."),
    )
    intro_en = models.TextField(
        _("English introduction"),
        blank=True,
        help_text=_("Shown on the English site (/en/); the introduction above when empty."),
    )
    per_page = models.PositiveSmallIntegerField(_("seminars per page"), default=12)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("title_en"),
        FieldPanel("intro_en"),
        FieldPanel("per_page"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    subpage_types = ["archive.SeminarPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("seminar archive")

    FILTERS = ("series", "topic", "speaker", "year", "format")

    @property
    def display_title(self) -> str:
        """The title in the interface's language (the archive's name is interface, not content)."""
        if self.title_en and translation.get_language() == "en":
            return self.title_en
        return self.title

    @staticmethod
    def filter_feed(active: dict) -> dict | None:
        """The feed that follows the list as filtered: its series, else its topic, else its
        speaker ({"kind", "slug", "name"}); None for the whole archive or an unknown value
        (a feed link that answers 404 is worse than none), or one that only drafts or private
        seminars have (its name is not public)."""
        for kind, found_in in (
            ("series", public_series),
            ("topic", public_topics),
            ("speaker", public_speakers),
        ):
            slug = active.get(kind)
            if slug:
                found = found_in().filter(slug=slug).values_list("slug", "name").first()
                return {"kind": kind, "slug": found[0], "name": found[1]} if found else None
        return None

    @property
    def display_seo_title(self) -> str:
        if self.title_en and translation.get_language() == "en":
            return self.title_en
        return self.seo_title or self.title

    @property
    def display_intro(self) -> str:
        if self.intro_en and translation.get_language() == "en":
            return self.intro_en
        return self.intro

    def seminars(self):
        return public_seminars().descendant_of(self)

    def filtered_seminars(self, params) -> tuple[models.QuerySet, dict]:
        """Apply the list filters in ``params`` (a QueryDict); unknown values match nothing."""
        qs = self.seminars()
        active = {}
        for key in self.FILTERS:
            value = (params.get(key) or "").strip()[:100]
            if not value:
                continue
            active[key] = value
            if key == "series":
                qs = qs.filter(series__slug=value)
            elif key == "topic":  # semi-joins: no duplicate rows, so no DISTINCT over pages
                qs = qs.filter(
                    pk__in=SeminarTopic.objects.filter(tag__slug=value).values("content_object_id")
                )
            elif key == "speaker":
                qs = qs.filter(
                    pk__in=SeminarSpeaker.objects.filter(speaker__slug=value).values("page_id")
                )
            elif key == "year":
                # a year the date arithmetic can hold (?year=99999 is no seminar, not an error)
                known = value.isdigit() and dt.MINYEAR < int(value) < dt.MAXYEAR
                qs = qs.filter(start__year=int(value)) if known else qs.none()
            elif key == "format":
                qs = qs.filter(format=value)
        return qs, active

    @staticmethod
    def archive_order(qs, now=None):
        """Upcoming seminars soonest first, then past ones newest first."""
        upcoming = upcoming_q(now)
        return qs.annotate(
            _upcoming=Case(
                When(upcoming, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            _upcoming_start=Case(When(upcoming, then=F("start")), default=None),
        ).order_by("-_upcoming", F("_upcoming_start").asc(nulls_last=True), "-start", "pk")

    def filter_options(self) -> dict:
        """The list's filter choices: every series, topic, speaker and year with a public
        seminar in this archive. Five queries over the whole archive (a quarter of a second on
        PostgreSQL at 2,000 seminars), so kept in the cache under :func:`content_stamp`, which
        changes as soon as any of them may have."""
        from django.core.cache import cache

        from archive.models.snippets import Series, Speaker

        key = f"archive-filter-options:v1:{self.pk}:{content_stamp()}"
        options = cache.get(key)
        if options is None:
            base = self.seminars()
            options = {
                "series": list(
                    Series.objects.filter(pk__in=base.values("series_id")).values("name", "slug")
                ),
                "topic": list(topics_of(base).values("name", "slug")),
                "speaker": list(
                    Speaker.objects.filter(
                        pk__in=SeminarSpeaker.objects.filter(page__in=base).values("speaker_id")
                    ).values("name", "slug")
                ),
                "year": years_with_seminars(base),
            }
            cache.set(key, options, FILTER_OPTIONS_SECONDS)
        # The formats' names are in the visitor's language: never cached.
        return {**options, "format": SeminarFormat.choices}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        qs, active = self.filtered_seminars(request.GET)
        qs = with_card_data(self.archive_order(qs)).prefetch_related("tagged_items__tag")
        paginator = Paginator(qs, self.per_page)
        # not a number: page 1; past the end (or below 1): the last page
        page_obj = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            feed=self.filter_feed(active),
            seminars=page_obj,
            paginator=paginator,
            active_filters=active,
            # every filter, "" when unset: the option lists compare with it (a missing key
            # costs Django's template engine a failed lookup per option)
            selected_filters={key: active.get(key, "") for key in self.FILTERS},
            filter_query=query.urlencode(),
            now=timezone.now(),
            filter_options=self.filter_options(),
            # page 2 and on are pages of their own, not copies of page 1; a filtered list
            # keeps the whole list as its canonical address
            canonical_page=page_obj.number if not active else 1,
        )
        return context


@receiver(pre_save, sender=Tag)
def topic_without_control_characters(sender, instance, **kwargs):
    """A topic's name without control characters, however it was made (see
    :class:`~archive.models.snippets.WithoutControlCharacters`)."""
    instance.name = text_without_control_characters(instance.name, single_line=True)


class SeminarTopic(TaggedItemBase):
    content_object = ParentalKey(
        "archive.SeminarPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class SeminarPageForm(WagtailAdminPageForm):
    """The admin form: refuses a slug whose address one of the site's own views answers."""

    def clean(self):
        from archive.validators import site_address_error

        cleaned = super().clean()
        if cleaned.get("topics"):  # before the tags are looked up by name and made
            topics = cleaned["topics"]
            names = [text_without_control_characters(n, single_line=True) for n in topics]
            cleaned["topics"] = [name for name in names if name.strip()]
        slug, parent = cleaned.get("slug"), getattr(self, "parent_page", None)
        if slug and parent is not None and "slug" not in self.errors:
            error = site_address_error(parent, slug)
            if error:
                self.add_error("slug", error)
        return cleaned


class SeminarPage(WithoutControlCharacters, Page):
    """One seminar: first the announcement, later the archive record."""

    # What and which series
    code = models.CharField(
        _("session code"), max_length=20, blank=True, help_text=_("E.g. 'A3' in a programme.")
    )
    series = models.ForeignKey(
        "archive.Series",
        verbose_name=_("series or event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seminars",
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=SeminarFormat.choices,
        default=SeminarFormat.CONFERENCE_SESSION,
    )
    language = models.CharField(
        _("language of the talk"),
        max_length=2,
        choices=TalkLanguage.choices,
        default=TalkLanguage.SWEDISH,
    )
    # When and where
    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    time_known = models.BooleanField(
        _("clock time known"),
        default=True,
        help_text=_("Untick for old seminars known only by date: the time is then not shown."),
    )
    venue = models.ForeignKey(
        "archive.Venue",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seminars",
    )
    room = models.CharField(_("room"), max_length=120, blank=True)
    # Content
    lead = models.TextField(_("lead paragraph"), blank=True)
    body = StreamField(SeminarBodyBlock(), verbose_name=_("body"), blank=True)
    topics = ClusterTaggableManager(
        through=SeminarTopic,
        blank=True,
        verbose_name=_("topics"),
        # taggit's own help text has no Swedish translation (editor review 7)
        help_text=_("Separate topics with commas. Visitors can filter the archive by topic."),
    )
    # Recording
    video_file = models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("uploaded video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_url = models.URLField(
        _("video embed URL"), blank=True, help_text=_("YouTube, Vimeo or another oEmbed provider.")
    )
    duration = models.PositiveIntegerField(
        _("recording length (seconds)"),
        null=True,
        blank=True,
        help_text=_("Filled from the uploaded video when known."),
    )
    # Registration and contact
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    registration_note = models.CharField(_("registration note"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # Provenance and notes for editors (never shown to visitors, never indexed or exported)
    source_url = models.URLField(_("original page"), max_length=1000, blank=True)
    editor_notes = models.TextField(
        _("notes for editors"),
        blank=True,
        help_text=_("Only editors see this, e.g. what an import could not recognise."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("editor_notes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("format"), FieldPanel("language")]),
                FieldPanel("series"),
            ],
            heading=_("Seminar"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("time_known"),
                FieldRowPanel([FieldPanel("venue"), FieldPanel("room")]),
            ],
            heading=_("When and where"),
        ),
        InlinePanel("seminar_speakers", label=_("Speakers"), heading=_("Speakers")),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("topics"),
    ]
    recording_panels = [
        MultiFieldPanel(
            [
                MediaChooserPanel("video_file", media_type="video"),
                FieldPanel("video_url"),
                FieldPanel("duration"),
            ],
            heading=_("Video"),
        ),
        InlinePanel("slides", label=_("Slides"), heading=_("Slides (PDF)")),
    ]
    registration_panels = [
        MultiFieldPanel(
            [
                FieldPanel("registration_url"),
                FieldPanel("registration_deadline"),
                FieldPanel("registration_note"),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact person"),
        ),
    ]
    related_panels = [
        InlinePanel("related_links", label=_("Related seminars"), heading=_("Related seminars")),
        FieldPanel("source_url"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(recording_panels, heading=_("Recording and slides")),
            ObjectList(registration_panels, heading=_("Registration")),
            ObjectList(related_panels, heading=_("Related")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("start"),
        index.FilterField("format"),
    ]

    parent_page_types = ["archive.SeminarIndexPage"]
    subpage_types: list[str] = []
    base_form_class = SeminarPageForm
    copy_form_class = SiteAddressCopyForm

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")

    # Validation shared by the admin form, the importers and the API
    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The seminar cannot end before it starts. Check the end time.")
        if self.start and self.registration_deadline and self.registration_deadline > self.start:
            errors["registration_deadline"] = _(
                "The registration deadline is after the seminar starts. "
                "Set it on or before the start."
            )
        if self.video_file_id and self.video_url:
            errors["video_url"] = _(
                "Choose either an uploaded video or an embed URL, not both. Remove one of them."
            )
        if self._adds_contact_without_a_way_to_reach():
            # The page invites questions to the contact: a name alone gives no way to ask them.
            errors["contact_name"] = _(
                "Add the contact person's e-mail address or phone number (visitors need a way "
                "to reach them), or leave the name empty."
            )
        if errors:
            raise ValidationError(errors)

    def _adds_contact_without_a_way_to_reach(self) -> bool:
        """A contact name with neither e-mail nor phone, unless the seminar was stored so before
        the rule (its contact unchanged): such seminars stay editable and importable, and the
        page shows the name without inviting questions."""
        contact = (
            (self.contact_name or "").strip(),
            (self.contact_email or "").strip(),
            (self.contact_phone or "").strip(),
        )
        if not contact[0] or contact[1] or contact[2]:
            return False
        if self.pk is None:
            return True
        stored = (
            type(self)
            .objects.filter(pk=self.pk)
            .values_list("contact_name", "contact_email", "contact_phone")
            .first()
        )
        return stored is None or tuple((v or "").strip() for v in stored) != contact

    # Presentation helpers
    @property
    def is_upcoming(self) -> bool:
        """Not over yet; through its whole day when only the date is known (:func:`upcoming_q`)."""
        if not self.time_known:
            return timezone.localdate(self.end or self.start) >= timezone.localdate()
        return (self.end or self.start) >= timezone.now()

    @property
    def is_under_way(self) -> bool:
        """Started and not yet over (only when the end is known)."""
        now = timezone.now()
        return bool(self.end) and self.start <= now <= self.end

    @property
    def registration_open(self) -> bool:
        """Registration is open until the deadline (or the start when no deadline is set)."""
        return (self.registration_deadline or self.start) >= timezone.now()

    @cached_property
    def is_public(self) -> bool:
        """Live, served by a site and open to anyone: no view restriction on it or above it
        (:func:`public_seminars` for one page). What the API, oEmbed, feeds and search may show.
        A page not saved yet (an admin preview of a new seminar) is not: nothing can be fetched
        by its id."""
        if not (self.pk and self.live) or self.get_url_parts() is None:
            return False  # a draft, or no site serves it (:func:`routable`): no address
        return not self.get_view_restrictions().exists()

    @property
    def has_video(self) -> bool:
        return bool(self.video_file_id or self.video_url)

    @property
    def has_slides(self) -> bool:
        """Whether the seminar has slide decks (from :func:`with_card_data` when it was used)."""
        if hasattr(self, "card_has_slides"):
            return self.card_has_slides
        return bool(self.slide_links)

    @property
    def has_transcript(self) -> bool:
        """Whether the seminar has a transcript (from :func:`with_card_data` when it was used)."""
        if hasattr(self, "card_has_transcript"):
            return self.card_has_transcript
        return self.transcript_or_none is not None

    @property
    def video_kind(self) -> str | None:
        if self.video_file_id:
            return "file"
        if self.video_url:
            return "embed"
        return None

    @property
    def video_duration(self) -> float | None:
        if self.duration:
            return float(self.duration)
        if self.video_file_id and self.video_file and self.video_file.duration:
            return float(self.video_file.duration)
        return None

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.start)

    @cached_property
    def speaker_links(self) -> list:
        """The speaker links with their speakers, from a list's ``prefetch_related`` when it
        fetched them (feeds, cards), otherwise read once per page instance."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("seminar_speakers")
        if prefetched is not None:
            return list(prefetched)
        return list(self.seminar_speakers.select_related("speaker", "speaker__photo").all())

    @cached_property
    def slide_links(self) -> list:
        """The slide decks with their documents, read once per page instance (the slide list,
        the JSON-LD thumbnail and the social preview image all use them)."""
        return list(self.slides.select_related("document").all())

    @cached_property
    def transcript_or_none(self):
        """The transcript with its reviewer, or None, read once per page instance (the player,
        the transcript list and the JSON-LD use it)."""
        from archive.models.transcripts import Transcript

        transcript = (
            Transcript.objects.select_related("reviewed_by").filter(seminar_id=self.pk).first()
        )
        if transcript is not None:
            transcript.seminar = self  # no query for the download URLs
        return transcript

    @property
    def speaking_links(self) -> list:
        """The speaker links of those who speak (speakers and panelists), in page order."""
        return [link for link in self.speaker_links if link.role not in LEADING_ROLES]

    @property
    def leading_links(self) -> list:
        """The speaker links of those who lead the seminar (moderators and hosts)."""
        return [link for link in self.speaker_links if link.role in LEADING_ROLES]

    @property
    def when_text(self) -> str:
        """'16 maj 2018, 08:00–09:30' in the active language and the archive's time zone; the
        date alone when no clock time is known."""
        from django.utils import formats

        start = self.local_start
        text = formats.date_format(start, "j F Y")
        if not self.time_known:
            return text
        text += f", {start:%H:%M}"
        if self.end:
            end = timezone.localtime(self.end)
            if end.date() == start.date():
                text += f"–{end:%H:%M}"
            else:
                text += f" – {formats.date_format(end, 'j F Y')}, {end:%H:%M}"
        return text

    def speakers_with_role(self, role: str) -> list:
        return [link for link in self.speaker_links if link.role == role]

    def speaker_names(self) -> list[str]:
        return [link.speaker.name for link in self.speaker_links]

    def cited_names(self) -> list[str]:
        """Who a citation of this seminar names (``archive.citation.cited_speakers``)."""
        from archive.citation import cited_speakers

        return [speaker.name for speaker in cited_speakers(self)]

    def related_seminars(self, limit: int = 4) -> list[SeminarPage]:
        """Chosen related seminars first, then others sharing speakers or topics."""
        chosen_ids = list(
            self.related_links.filter(target__isnull=False).values_list("target_id", flat=True)
        )
        visible = public_seminars().exclude(pk=self.pk)
        picked = []
        if chosen_ids:
            shown = set(visible.filter(pk__in=chosen_ids).values_list("pk", flat=True))
            picked = [pk for pk in chosen_ids if pk in shown][:limit]
        if len(picked) < limit:
            speaker_ids = [link.speaker_id for link in self.speaker_links]
            tag_ids = list(self.tagged_items.values_list("tag_id", flat=True))
            # Grouped by id and date only: grouping the full rows (every column of the page)
            # cost 60 to 190 ms a seminar page at 2,000 seminars. Ranked as ever: by the joined
            # speaker and topic rows matching either, newest first among equals.
            auto = (
                visible.exclude(pk__in=chosen_ids)
                .filter(
                    Q(seminar_speakers__speaker_id__in=speaker_ids)
                    | Q(tagged_items__tag_id__in=tag_ids)
                )
                .values("pk", "start")
                .annotate(shared=models.Count("pk"))
                .order_by("-shared", "-start", "pk")
                .values_list("pk", flat=True)
            )
            picked += [pk for pk in auto[:limit] if pk not in picked][: limit - len(picked)]
        if not picked:  # nothing to show: not even the card query is built
            return []
        pages = {page.pk: page for page in with_card_data(visible.filter(pk__in=picked))}
        return [pages[pk] for pk in picked if pk in pages]

    def search_document(self) -> dict:
        """Everything public search needs about this seminar, as plain data (see search/)."""
        from archive.search_document import seminar_search_document

        return seminar_search_document(self)


class LeftOutWhenTargetIsGone:
    """A seminar's child row (a speaker's part, a slide deck) that a revision leaves out when the
    row its protected foreign key names has been deleted since.

    The key is PROTECT, so nothing live can lose its target; a draft, a scheduled or an older
    revision still can, and modelcluster cannot rebuild such a revision (it handles only CASCADE,
    SET_NULL and DO_NOTHING): the seminar's editor answered 500, reverting failed and
    ``publish_scheduled`` stopped at it on every run. The deletes that would do it are refused
    while the latest or a scheduled revision names the row (``archive.revision_usage``); this
    covers what is left (older revisions, rows deleted by code), with a warning in the log."""

    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        from modelcluster.models import model_from_serializable_data

        if check_fks:
            for field in cls._meta.concrete_fields:
                if not field.many_to_one or field.remote_field.on_delete is not models.PROTECT:
                    continue
                target = data.get(field.name)
                if (
                    target is not None
                    and not field.related_model._default_manager.filter(pk=target).exists()
                ):
                    logger.warning(
                        "A revision of page %s names %s %s, which no longer exists: its %s is "
                        "left out.",
                        data.get("page"),
                        field.related_model._meta.model_name,
                        target,
                        cls._meta.model_name,
                    )
                    return None
        return model_from_serializable_data(cls, data, check_fks=check_fks, strict_fks=strict_fks)


class SeminarSpeaker(WithoutControlCharacters, LeftOutWhenTargetIsGone, Orderable):
    """A speaker's part in one seminar, in the order they appear."""

    page = ParentalKey(SeminarPage, on_delete=models.CASCADE, related_name="seminar_speakers")
    speaker = models.ForeignKey(
        "archive.Speaker",
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        related_name="seminar_roles",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=SpeakerRole.choices, default=SpeakerRole.SPEAKER
    )
    title = models.CharField(
        _("title at this seminar"),
        max_length=255,
        blank=True,
        help_text=_(
            "Shown instead of the speaker's usual title, e.g. 'Tillitsdelegationens ordförande'."
        ),
    )

    panels = [FieldPanel("speaker"), FieldPanel("role"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")

    def __str__(self):
        return f"{self.speaker} ({self.get_role_display()})"

    @property
    def display_title(self) -> str:
        return self.title or self.speaker.short_description()


class SeminarSlide(WithoutControlCharacters, LeftOutWhenTargetIsGone, Orderable):
    """A slide deck (PDF) shown with the seminar."""

    page = ParentalKey(SeminarPage, on_delete=models.CASCADE, related_name="slides")
    document = models.ForeignKey(
        "archive.ArchiveDocument",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("slides")

    def __str__(self):
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or self.document.title

    def clean(self):
        super().clean()
        from archive.validators import pdf_page_count

        if self.document_id:
            document = self.document
            try:
                with document.open_file() as fh:
                    pdf_page_count(fh)
            except FileNotFoundError as exc:
                raise ValidationError(
                    {"document": _("The document's file is missing. Upload it again.")}
                ) from exc
            except ValidationError as exc:
                raise ValidationError({"document": exc.messages}) from exc


class SeminarRelation(Orderable):
    page = ParentalKey(SeminarPage, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        SeminarPage,
        verbose_name=_("seminar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("target", "archive.SeminarPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related seminar")
