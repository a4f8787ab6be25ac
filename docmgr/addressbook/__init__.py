"""The address book (danh bạ cơ quan): organizations, internal units and groups of them.

- :mod:`.models` — the tables.
- :mod:`.matching` — a document's "Nơi nhận" lines matched to entries, groups expanded.
- :mod:`.csvio` — CSV import and export.
- :mod:`.views` — the pages and the JSON API.
"""
