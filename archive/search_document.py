"""The plain-data document that public search indexes for a seminar (owned by the search work)."""


def seminar_search_document(page) -> dict:
    return {"id": page.pk, "slug": page.slug, "title": page.title}
