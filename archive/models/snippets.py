"""Snippets shared by many seminars: series, venues and speakers."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from archive.transcript_formats import text_without_control_characters


def unique_slug(model, value: str, instance_pk=None, max_length: int = 80) -> str:
    """A slug for ``value`` that no other row of ``model`` uses yet."""
    base = slugify(value, allow_unicode=False)[:max_length].strip("-") or "x"
    slug, n = base, 2
    qs = model.objects.all()
    if instance_pk:
        qs = qs.exclude(pk=instance_pk)
    while qs.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


def drop_control_characters(instance) -> None:
    """Remove control characters from ``instance``'s text fields, as the importers and
    transcripts do (:func:`~archive.transcript_formats.text_without_control_characters`), and
    bidi overrides from its one-line ones (``CharField``): a vertical tab pasted from Word into a
    title made every feed listing it answer 500 and went into calendars and JSON-LD."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            single_line = not isinstance(field, models.TextField)
            clean = text_without_control_characters(value, single_line=single_line)
            if clean is not value:
                setattr(instance, field.attname, clean)


class WithoutControlCharacters:
    """A model whose text fields lose their control characters when it is validated (the admin's
    forms; a page before its revision is stored) and when it is saved
    (:func:`drop_control_characters`)."""

    def full_clean(self, *args, **kwargs):
        drop_control_characters(self)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        drop_control_characters(self)
        super().save(*args, **kwargs)


class NamedSnippet(WithoutControlCharacters, models.Model):
    """Name + slug, matched by name ignoring case, runs of white space and Unicode composition
    (importers and the admin use this)."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    name_key = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        drop_control_characters(self)  # before the name's key is made from it
        # Composed (NFC), as typed on most systems: a name pasted from macOS is often decomposed
        # ("A" + combining ring for "Å"), which looks the same but is not found by search.
        self.name = unicodedata.normalize("NFC", " ".join(self.name.split()))
        self.name_key = self.normalise_name(self.name)
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, self.pk)
        super().save(*args, **kwargs)

    @staticmethod
    def normalise_name(name: str) -> str:
        """The key names are matched by: runs of white space as one space, case folded, in NFC
        (so "Åsa Öberg" typed composed or decomposed is one name). Composed before and after
        folding, as folding may leave a character that composes with its neighbour."""
        name = unicodedata.normalize("NFC", " ".join((name or "").split()))
        return unicodedata.normalize("NFC", name.casefold())

    @classmethod
    def find_by_name(cls, name: str):
        """The row whose name equals ``name`` ignoring case, runs of white space and Unicode
        composition (NFC or NFD)."""
        return cls.objects.filter(name_key=cls.normalise_name(name)).first()


class Series(index.Indexed, NamedSnippet):
    """A recurring event or series: a yearly conference, a breakfast-meeting series."""

    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("organiser"),
        FieldPanel("description"),
        FieldPanel("website"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("series")
        verbose_name_plural = _("series")


class Venue(index.Indexed, NamedSnippet):
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)

    panels = [FieldPanel("name"), FieldPanel("street_address"), FieldPanel("city")]
    search_fields = [index.SearchField("name"), index.SearchField("city")]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def one_line(self) -> str:
        return ", ".join(p for p in (self.name, self.street_address, self.city) if p)


class Speaker(index.Indexed, NamedSnippet):
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("E.g. 'docent i nationalekonomi'.")
    )
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    family_name = models.CharField(
        _("family name"),
        max_length=255,
        blank=True,
        help_text=_(
            "For citations, when it is not the last word of the name, e.g. 'Nilsson Berg' "
            "for Sara Nilsson Berg. Leave empty otherwise."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("family_name"),
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("title"), FieldPanel("affiliation")], heading=_("Position")),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
        index.SearchField("bio"),
    ]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def get_absolute_url(self):
        return reverse("speaker_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        family = " ".join(self.family_name.split())
        if family and not " ".join(self.name.split()).endswith(family):
            raise ValidationError(
                {
                    "family_name": _(
                        "The family name must be how the name ends (“%(name)s”). Correct it, "
                        "or leave it empty."
                    )
                    % {"name": self.name}
                }
            )
        self.family_name = family

    def short_description(self) -> str:
        return ", ".join(p for p in (self.title, self.affiliation) if p)
