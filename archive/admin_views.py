"""Wagtail admin view for a seminar's transcript: upload or paste it, then edit its segments.

Long transcripts (thousands of segments) are edited 100 segments at a time: each page of the editor
is a small formset, and saving it re-validates and stores the whole transcript through
``save_transcript`` so the rules are the same as for an upload. Every save sets the review state
and saves a page revision / submits the page to its moderation workflow (``request_review``).
"Remove transcript" (``transcript_remove``) deletes a transcript after a confirmation step.

Wagtail's page locks apply here as in the page editor: while the seminar page is locked for the
editor (another user's lock, the lock of a page scheduled to go live, or a moderation task that
only its reviewers may act on; ``page.get_lock()``), the screen says who or what locked it and what
to do, and nothing is saved, edited or removed. The editor who holds the lock may edit.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages as wagtail_messages
from wagtail.admin.utils import get_user_display_name
from wagtail.locks import BasicLock, ScheduledForPublishLock, WorkflowLock
from wagtail.log_actions import log
from wagtail.models import Page

from archive.models import SeminarPage, Transcript
from archive.transcript_formats import (
    CONTROL_CHARACTERS,
    MAX_TRANSCRIPT_BYTES,
    Cue,
    TranscriptFormatError,
    parse_stamped_text,
    parse_transcript,
)
from archive.transcript_store import (
    DraftNeedsCorrection,
    remove_transcript,
    request_review,
    save_transcript,
    transcript_cues,
)

SEGMENTS_PER_PAGE = 100


class TranscriptUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("WebVTT, SRT or text file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,.srt,.txt,text/vtt,text/plain"}),
    )
    text = forms.CharField(
        label=gettext_lazy("…or paste the transcript"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "transcript-paste"}),
        help_text=gettext_lazy(
            "One segment per paragraph. Optional time stamps [mm:ss] or [hh:mm:ss] start a "
            "segment, “Name:” names the speaker and a line “# Heading” starts a chapter."
        ),
    )
    machine = forms.BooleanField(
        label=gettext_lazy("This is machine output (automatic speech recognition)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if "file" in self.errors:
            # A file was chosen and its field said what is wrong with it (an empty file): not
            # also "choose a file" (editor review 9).
            return data
        if not upload and not text:
            raise forms.ValidationError(_("Choose a file or paste the transcript."))
        if upload and text:
            raise forms.ValidationError(_("Choose a file or paste text, not both."))
        if upload and upload.size > MAX_TRANSCRIPT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Is it a transcript?"))
        return data

    def cues(self) -> tuple[list[Cue], str]:
        """Parsed cues and the source name; raises TranscriptFormatError."""
        upload = self.cleaned_data.get("file")
        if upload:
            return parse_transcript(upload.read(), upload.name), upload.name
        return parse_stamped_text(self.cleaned_data["text"]), ""


class CleanCharField(forms.CharField):
    """A text field that drops invisible control characters (NUL included) before checking,
    as transcripts drop them however they arrive, instead of refusing the whole row."""

    def to_python(self, value):
        value = super().to_python(value)
        return CONTROL_CHARACTERS.sub("", value) if value else value


class SegmentForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.FloatField(
        label=gettext_lazy("Start (s)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.001"}),
    )
    end = forms.FloatField(
        label=gettext_lazy("End (s)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.001"}),
    )
    speaker = CleanCharField(
        label=gettext_lazy("Speaker"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"list": "seminar-speakers"}),
    )
    text = CleanCharField(
        label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    chapter = CleanCharField(label=gettext_lazy("Chapter heading"), required=False, max_length=255)


class BaseSegmentFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        """Each input is named by its column's heading and its row's number (the table shows
        the labels only as headings): ``aria-labelledby`` the ``<th>`` ids in the template."""
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-labelledby"] = f"seg-col-{name} {form.prefix}-label"


SegmentFormSet = forms.formset_factory(
    SegmentForm, formset=BaseSegmentFormSet, extra=0, can_delete=True
)


def _editable_seminar(request, page_id: int) -> SeminarPage:
    page = get_object_or_404(SeminarPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


@dataclass
class LockNotice:
    """Why the seminar's page is locked for the user, and what they can do about it."""

    sentences: list[str]
    unlock: bool = False  # the user may unlock it (Wagtail's unlock view, back here)
    unschedule_url: str = ""  # the user may cancel the scheduled publishing

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @classmethod
    def for_page(cls, page, user) -> LockNotice | None:
        """None when ``page`` is not locked for ``user`` (Wagtail's ``get_lock().for_user``)."""
        lock = page.get_lock()
        if lock is None or not lock.for_user(user):
            return None
        title = page.get_admin_display_title()
        perms = page.permissions_for_user(user)
        consequence = _(
            "While the page is locked, its transcript cannot be replaced, edited or removed."
        )
        if isinstance(lock, ScheduledForPublishLock):
            revision = page.scheduled_revision
            can_unschedule = perms.can_unschedule()
            return cls(
                [
                    _(
                        "“%(title)s” is scheduled to go live on %(time)s, and Wagtail locks a "
                        "page while it is scheduled, so that what goes live is what was approved."
                    )
                    % {"title": title, "time": _when(revision.approved_go_live_at)},
                    consequence,
                    _(
                        "To change the transcript before then, cancel the scheduled publishing "
                        "(“Cancel scheduled publish” below), change the transcript and schedule "
                        "the seminar again."
                    )
                    if can_unschedule
                    else _(
                        "To change the transcript before then, ask someone who may publish the "
                        "seminar (a moderator) to cancel the scheduled publishing."
                    ),
                ],
                unschedule_url=reverse(
                    "wagtailadmin_pages:revisions_unschedule", args=[page.pk, revision.pk]
                )
                if can_unschedule
                else "",
            )
        if isinstance(lock, WorkflowLock):
            state = page.current_workflow_state
            can_cancel = state is not None and state.user_can_cancel(user)
            return cls(
                [
                    _(
                        "“%(title)s” is awaiting moderation (“%(task)s”), and only its reviewers "
                        "may change it meanwhile."
                    )
                    % {"title": title, "task": lock.task.name},
                    consequence,
                    _(
                        "Wait until a moderator approves it or requests changes, or cancel the "
                        "workflow in the seminar editor (“Cancel workflow”) and then change the "
                        "transcript: saving it submits the seminar again."
                    )
                    if can_cancel
                    else _(
                        "Wait until a moderator approves it or requests changes, or ask a "
                        "moderator to change the transcript."
                    ),
                ]
            )
        if isinstance(lock, BasicLock) and page.locked_by_id and page.locked_by_id != user.pk:
            who = get_user_display_name(page.locked_by)
            first = (
                _("“%(title)s” was locked by %(user)s on %(time)s.")
                % {"title": title, "user": who, "time": _when(page.locked_at)}
                if page.locked_at
                else _("“%(title)s” is locked by %(user)s.") % {"title": title, "user": who}
            )
        else:
            # A lock without a user (set by a script), your own lock where locks bind everyone
            # (WAGTAILADMIN_GLOBAL_EDIT_LOCK), or a lock of another kind.
            who = ""
            first = _("“%(title)s” is locked.") % {"title": title}
        can_unlock = isinstance(lock, BasicLock) and perms.can_unlock()
        if can_unlock:
            advice = _("You may unlock it (“Unlock” below), then change the transcript.")
        elif who:
            advice = _("Ask %(user)s to unlock it, or someone who may unlock pages.") % {
                "user": who
            }
        else:
            advice = _("Ask someone who may unlock pages to unlock it.")
        return cls([first, consequence, advice], unlock=can_unlock)


class PageLocked(Exception):
    def __init__(self, notice: LockNotice):
        super().__init__(notice.text)
        self.notice = notice


@contextmanager
def _unless_locked(seminar, user):
    """A transaction in which the seminar's page row is held (SELECT … FOR UPDATE) and not
    locked for ``user``: raises ``PageLocked`` (nothing done) when it is. Wagtail's lock, unlock
    and schedule views write that row, so none of them can slip in between the check and the
    save."""
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=seminar.pk)
        notice = LockNotice.for_page(page, user)
        if notice is not None:
            raise PageLocked(notice)
        yield


def _nothing_changed_locked(request) -> None:
    messages.error(request, _("Nothing was changed: the seminar page is locked."))


def _apply_segment_edits(cues: list[Cue], formset) -> list[Cue]:
    """All cues with the page's edited ones replaced and deleted ones removed."""
    edited: dict[int, Cue | None] = {}
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        position = data["position"]
        if data.get("DELETE"):
            edited[position] = None
            continue
        edited[position] = Cue(
            start=data["start"],
            end=data["end"],
            text=(data.get("text") or "").strip(),
            speaker=data.get("speaker") or "",
            chapter=data.get("chapter") or "",
            line=None,
        )
    result = []
    for position, cue in enumerate(cues):
        if position in edited:
            if edited[position] is None:
                continue
            cue = edited[position]
        cue.line = None
        result.append(cue)
    return result


def _segment_errors(error: TranscriptFormatError) -> list[str]:
    # Lines refer to the upload; for edits the message names the segment number and time,
    # and starts the sentence ("segment 2 (0:05) ends…" had no "Line N:" before it).
    return [capfirst(message) for _line, message in error.problems]


#: Problems listed on the page at most: a broken file of 200,000 cues made a 24 MB page.
MAX_PROBLEMS_SHOWN = 50


def first_problems(problems: list[str]) -> list[str]:
    """The first MAX_PROBLEMS_SHOWN problems, and a line saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS_SHOWN:
        return problems
    rest = len(problems) - MAX_PROBLEMS_SHOWN
    return [
        *problems[:MAX_PROBLEMS_SHOWN],
        ngettext(
            "… and %(n)d more problem. Correct these and check the file again.",
            "… and %(n)d more problems. Correct these and check the file again.",
            rest,
        )
        % {"n": rest},
    ]


def _form_errors(formset) -> list[str]:
    """The segment form's field errors, each naming its segment and field."""
    problems = []
    for form in formset.forms:
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            label = field.label if field is not None else name
            number = (form.initial.get("position") or 0) + 1
            problems += [
                _("Segment %(number)s, %(field)s: %(error)s")
                % {"number": number, "field": label, "error": error}
                for error in errors
            ]
    return problems


def transcript_version(transcript: Transcript | None) -> str:
    """What the segment editor's form carries to tell whether the transcript changed since."""
    return transcript.updated_at.isoformat() if transcript and transcript.updated_at else ""


class StaleTranscript(Exception):
    def __init__(self, current: Transcript):
        super().__init__("stale transcript")
        self.current = current

    def message(self) -> str:
        changed = timezone.localtime(self.current.updated_at)
        return _(
            "The transcript was changed at %(time)s, after you opened this page (in another "
            "tab or by another editor). Your edits were not saved, so that those changes are "
            "not lost: reload the page and make your edits again."
        ) % {"time": formats.date_format(changed, "SHORT_DATETIME_FORMAT")}


class NoSegmentsLeft(Exception):
    """The segment editor's save would leave the transcript without segments."""


def transcript_edit(request, page_id: int):
    seminar = _editable_seminar(request, page_id)
    transcript = Transcript.objects.filter(seminar=seminar).select_related("reviewed_by").first()
    cues = transcript_cues(transcript) if transcript else []
    paginator = Paginator(list(enumerate(cues)), SEGMENTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    upload_form = TranscriptUploadForm()
    problems: list[str] = []
    initial = [
        {
            "position": pos,
            "start": cue.start,
            "end": cue.end,
            "speaker": cue.speaker,
            "text": cue.text,
            "chapter": cue.chapter,
        }
        for pos, cue in page_obj.object_list
    ]
    formset = SegmentFormSet(initial=initial, prefix="seg")
    here = reverse("archive_transcript_edit", args=[seminar.pk])

    lock = LockNotice.for_page(seminar, request.user)
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload_form = TranscriptUploadForm(request.POST, request.FILES)
        if lock is not None:
            _nothing_changed_locked(request)  # the pasted text stays in the form
        elif upload_form.is_valid():
            try:
                new_cues, source = upload_form.cues()
                state = (
                    Transcript.ReviewState.MACHINE
                    if upload_form.cleaned_data["machine"]
                    else Transcript.ReviewState.EDITED
                )
                # The page revision and the workflow (``_after_save``) in the same
                # transaction: a page locked meanwhile gets neither transcript nor revision.
                with _unless_locked(seminar, request.user):
                    save_transcript(
                        seminar, new_cues, source_name=source, user=request.user, review_state=state
                    )
                    _after_save(
                        request,
                        seminar,
                        _("Transcript saved: %(n)d segments.") % {"n": len(new_cues)},
                    )
            except TranscriptFormatError as exc:
                problems = exc.messages()
            except PageLocked as exc:
                lock = exc.notice
                _nothing_changed_locked(request)
            else:
                return redirect(here)
    elif request.method == "POST" and request.POST.get("action") == "segments":
        formset = SegmentFormSet(request.POST, initial=initial, prefix="seg")
        if lock is not None:
            _nothing_changed_locked(request)  # the edits stay in the form
        elif transcript is None:
            problems = [_("This seminar has no transcript any more: nothing to save.")]
        elif formset.is_valid():
            try:
                with _unless_locked(seminar, request.user):
                    # Locked, then compared with the version the editor saw: a transcript
                    # replaced or edited since (another tab, another editor) is never
                    # overwritten with this page's stale rows.
                    current = Transcript.objects.select_for_update().get(pk=transcript.pk)
                    if transcript_version(current) != request.POST.get("version"):
                        raise StaleTranscript(current)
                    new_cues = _apply_segment_edits(transcript_cues(current), formset)
                    if not new_cues:
                        raise NoSegmentsLeft
                    save_transcript(
                        seminar,
                        new_cues,
                        source_name=current.source_name,
                        user=request.user,
                        review_state=Transcript.ReviewState.EDITED,
                    )
                    _after_save(request, seminar, _("Segments saved."))
            except PageLocked as exc:
                lock = exc.notice
                _nothing_changed_locked(request)
            except StaleTranscript as exc:
                problems = [exc.message()]
            except NoSegmentsLeft:
                problems = [
                    _(
                        "You marked every segment for deletion. To take the whole transcript "
                        "away (for example, one uploaded to the wrong seminar), use “Remove "
                        "transcript” at the end of this page."
                    )
                ]
            except TranscriptFormatError as exc:
                problems = _segment_errors(exc)
            else:
                return redirect(f"{here}?p={page_obj.number}")
        else:
            problems = _form_errors(formset) + [str(e) for e in formset.non_form_errors()]

    if problems:
        problems = first_problems(problems)
        messages.error(request, _("Nothing was changed. Correct these problems and try again."))
    return TemplateResponse(
        request,
        "archive/admin/transcript_edit.html",
        {
            "seminar": seminar,
            "transcript": transcript,
            "upload_form": upload_form,
            "formset": formset,
            "page_obj": page_obj,
            "problems": problems,
            "segment_count": len(cues),
            "version": transcript_version(transcript),
            "speaker_names": seminar.speaker_names(),
            "slides": seminar.slides.select_related("document"),
            "remove_url": reverse("archive_transcript_remove", args=[seminar.pk]),
            "lock": lock,
        },
    )


def _after_save(request, seminar, message: str) -> None:
    try:
        state = request_review(seminar, request.user)
    except DraftNeedsCorrection as exc:
        # The transcript is saved; only the page revision and the moderation step are left
        # out, since the draft could not be approved as it stands.
        messages.success(request, message)
        wagtail_messages.warning(
            request,
            _(
                "The seminar page itself has a problem to correct: %(problems)s It was not "
                "submitted for moderation. Correct the page in the seminar editor and save it; "
                "the transcript stays “edited” until the seminar is approved."
            )
            % {"problems": " ".join(exc.messages())},
            buttons=[
                wagtail_messages.button(
                    reverse("wagtailadmin_pages:edit", args=[seminar.pk]),
                    _("Edit the seminar"),
                )
            ],
        )
        return
    if state is not None:
        message += " " + _(
            "The seminar was submitted for moderation; the transcript will be "
            "marked reviewed when it is approved."
        )
    messages.success(request, message)


#: The page-history action of a removed transcript (registered in ``archive/wagtail_hooks.py``).
REMOVE_LOG_ACTION = "archive.transcript.remove"


@require_http_methods(["GET", "POST"])
def transcript_remove(request, page_id: int):
    """Remove a seminar's transcript (e.g. one uploaded to the wrong seminar): GET asks for
    confirmation, POST deletes the transcript and its segments, notes it in the page's history
    and returns to the Transcript screen. Search re-indexes the seminar through the Transcript's
    ``post_delete`` signal, as for any transcript change. Refused (nothing removed) while the
    page is locked for the user: the Transcript screen says why."""
    seminar = _editable_seminar(request, page_id)
    here = reverse("archive_transcript_edit", args=[seminar.pk])
    transcript = Transcript.objects.filter(seminar=seminar).first()
    if transcript is None:
        messages.info(request, _("This seminar has no transcript: there is nothing to remove."))
        return redirect(here)
    if LockNotice.for_page(seminar, request.user) is not None:
        # Not even the question: the Transcript screen says who locked the page and what to do.
        messages.error(request, _("The transcript was not removed: the seminar page is locked."))
        return redirect(here)
    if request.method == "POST":
        source_name = transcript.source_name
        try:
            with _unless_locked(seminar, request.user):
                count = remove_transcript(seminar)
                log(
                    instance=seminar,
                    action=REMOVE_LOG_ACTION,
                    user=request.user,
                    data={"segments": count, "source_name": source_name},
                )
        except PageLocked:
            messages.error(
                request, _("The transcript was not removed: the seminar page is locked.")
            )
            return redirect(here)
        messages.success(
            request,
            ngettext(
                "The transcript (%(n)d segment) was removed from “%(title)s”.",
                "The transcript (%(n)d segments) was removed from “%(title)s”.",
                count,
            )
            % {"n": count, "title": seminar.title},
        )
        return redirect(here)
    return TemplateResponse(
        request,
        "archive/admin/transcript_remove.html",
        {
            "seminar": seminar,
            "transcript": transcript,
            "segment_count": transcript.segments.count(),
            "cancel_url": here,
        },
    )
