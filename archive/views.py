from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from archive.models import (
    SeminarIndexPage,
    SeminarSpeaker,
    SpeakerRole,
    main_archive,
    public_seminars,
    public_speakers,
    with_card_data,
)


def speaker_detail(request, slug):
    """A speaker's public page: who they are and their public seminars, newest first, a page at
    a time as the archive list shows them (its page size, ``?page=``, a page past the last shows
    the last), each page's seminars grouped by the speaker's role in them. A speaker on no public
    seminar has no page (404): their name and bio are not public yet."""
    speaker = get_object_or_404(public_speakers().select_related("photo"), slug=slug)
    seminars = public_seminars().filter(
        pk__in=SeminarSpeaker.objects.filter(speaker=speaker).values("page_id")
    )
    # The speaker's role in each seminar, the last of their parts on it (as ever): ids and
    # roles only, so a speaker on hundreds of seminars costs one light query for the counts.
    role_of = dict(
        speaker.seminar_roles.filter(page__in=seminars)
        .order_by("sort_order", "pk")
        .values_list("page_id", "role")
    )
    role_counts = {role: 0 for role, _label in SpeakerRole.choices}
    for role in role_of.values():
        role_counts[role] = role_counts.get(role, 0) + 1

    archive_root = main_archive()
    per_page = (
        archive_root.per_page
        if archive_root
        else SeminarIndexPage._meta.get_field("per_page").get_default()
    )
    paginator = Paginator(with_card_data(seminars.order_by("-start", "pk")), per_page)
    # not a number: page 1; past the end (or below 1): the last page
    page_obj = paginator.get_page(request.GET.get("page"))

    shown = list(page_obj.object_list)
    links = {
        link.page_id: link
        for link in speaker.seminar_roles.filter(page__in=[s.pk for s in shown]).order_by(
            "sort_order", "pk"
        )
    }
    by_role = {role: [] for role, _label in SpeakerRole.choices}
    for seminar in shown:
        link = links.get(seminar.pk)
        if link:
            by_role[link.role].append((seminar, link))
    groups = [
        (role, label, by_role[role], role_counts[role])
        for role, label in SpeakerRole.choices
        if by_role[role]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/speaker_detail.html",
        {
            "speaker": speaker,
            "role_groups": groups,
            "seminar_count": len(role_of),
            "seminars": page_obj,
            "paginator": paginator,
            "page_query": query.urlencode(),
            "canonical_page": page_obj.number,
            "archive_root": archive_root,
        },
    )
