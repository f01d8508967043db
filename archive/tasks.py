"""Background work of the archive, through Django's tasks framework (django-tasks backport).

Dev and tests use the immediate backend (the task runs when enqueued, i.e. right after the upload's
transaction commits); production uses the database backend and a worker.
"""

from django_tasks import task


@task()
def extract_slide_text(document_id: int) -> str:
    """Extract the text and render the thumbnail of one slide PDF; returns the text status."""
    from archive.models import ArchiveDocument
    from archive.slides import process_document

    document = ArchiveDocument.objects.filter(pk=document_id).first()
    if document is None:  # deleted before the worker got to it
        return "missing"
    process_document(document)
    return document.text_status
