from django.shortcuts import get_object_or_404, render

from archive.models import (
    SpeakerRole,
    main_archive,
    public_seminars,
    public_speakers,
    with_card_data,
)


def speaker_detail(request, slug):
    """A speaker's public page: who they are and every public seminar they took part in, by role.
    A speaker on no public seminar has no page (404): their name and bio are not public yet."""
    speaker = get_object_or_404(public_speakers().select_related("photo"), slug=slug)
    seminars = with_card_data(
        public_seminars().filter(seminar_speakers__speaker=speaker).order_by("-start").distinct()
    )
    links = {link.page_id: link for link in speaker.seminar_roles.filter(page__in=seminars)}
    by_role = {role: [] for role, _label in SpeakerRole.choices}
    for seminar in seminars:
        link = links.get(seminar.pk)
        if link:
            by_role[link.role].append((seminar, link))
    groups = [(role, label, by_role[role]) for role, label in SpeakerRole.choices if by_role[role]]
    return render(
        request,
        "archive/speaker_detail.html",
        {
            "speaker": speaker,
            "role_groups": groups,
            "seminar_count": len(links),
            "archive_root": main_archive(),
        },
    )
