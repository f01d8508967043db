"""Bringing existing archives in: bulk seminar files and old announcement pages.

- :mod:`archive.importers.seminars` reads JSON Lines / JSON arrays (``manage.py import_seminars``,
  format in ``docs/import-format.md``): a pure ``validate_record`` and a ``write_record`` that
  runs inside one transaction per seminar.
- :mod:`archive.importers.announcement` reads the loosely structured Swedish text of old seminar
  pages (``manage.py import_announcement`` and the admin view "Import announcement") into draft
  seminars.
"""
