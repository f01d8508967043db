"""Derived search tables of the database engine (rebuildable from the archive at any time) and the
anonymous search log.

Full-text indexes live next to these tables and are created by the migrations per database:
SQLite FTS5 virtual tables (``search_entry_fts``, ``search_segment_fts``, ``search_slide_fts``,
rowid = the row's id; ``search_about_fts``, the seminar's fields but what was said, for
ranking) and, on PostgreSQL, a ``tsv`` tsvector column with a GIN index on each of
``search_searchentry``, ``search_searchsegment`` and ``search_searchslidepage``, and on
``search_searchentry`` also ``tsv_rank`` (each word's first positions, which ranking reads).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """One public seminar as the database engine knows it."""

    page_id = models.BigIntegerField(primary_key=True)
    fingerprint = models.CharField(max_length=32)
    title = models.CharField(max_length=255)
    title_key = models.CharField(max_length=300, db_index=True)  # " " + folded lowercase title
    url = models.CharField(max_length=500, blank=True)
    start = models.DateTimeField(null=True, db_index=True)
    # Facet keys as "facet=value" tokens separated by "\t" (read fast for counting).
    facet_keys = models.TextField(blank=True)
    text = models.TextField(blank=True)  # lead + body, for snippets
    data = models.JSONField(default=dict)  # what a hit shows: slug, series, speakers, topics, ...
    indexed_at = models.DateTimeField(auto_now=True, db_index=True)  # the cache version

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.title


class SearchFacetValue(models.Model):
    """A labelled facet value of one entry (speaker, topic, series): labels and autocomplete."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=255)
    label = models.CharField(max_length=255)
    label_key = models.CharField(max_length=300)  # " " + folded lowercase label

    class Meta:
        indexes = [models.Index(fields=["facet", "value"])]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchSegment(models.Model):
    """One transcript segment of an indexed seminar (for "moments")."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="segments")
    start = models.FloatField()
    end = models.FloatField()
    speaker = models.CharField(max_length=255, blank=True)
    speaker_slug = models.CharField(max_length=80, blank=True, db_index=True)
    text = models.TextField()

    def __str__(self):
        return f"{self.start:.0f}s {self.text[:40]}"


class SearchSlidePage(models.Model):
    """One page of slide text of an indexed seminar (for slide hits)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="slide_pages")
    document_id = models.BigIntegerField()
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=500)
    text = models.TextField()

    def __str__(self):
        return f"{self.label} p. {self.number}"


class SearchWord(models.Model):
    """A word seen in indexed text, for typo tolerance and "did you mean".

    Words are added as text is indexed and only dropped on rebuild, so a word may outlive its
    seminar: the engine therefore counts the indexed seminars containing a candidate before it
    uses or suggests it.
    """

    word = models.CharField(max_length=100, primary_key=True)
    term = models.CharField(max_length=100, db_index=True)

    def __str__(self):
        return self.word


class SearchLog(models.Model):
    """One public search, anonymised: the normalised query, never who asked."""

    query = models.CharField(_("query"), max_length=200, db_index=True)
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    results = models.PositiveIntegerField(_("results"))
    engine = models.CharField(_("engine"), max_length=20)
    fallback = models.BooleanField(_("fallback engine answered"), default=False)
    date = models.DateField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.query!r} ({self.results})"
