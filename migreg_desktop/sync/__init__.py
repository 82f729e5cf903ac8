"""Sync with the oblast office by export files: signed, encrypted, sequenced, acknowledged.

No Qt here. Modules: ``records`` (which tables travel), ``triggers`` (change log), ``keys``,
``container`` (the encrypted, signed file), ``package`` (manifest and members), ``export``,
``importer``, ``acks``, ``conflicts``, ``staging`` (oblast deduplication), ``refpack``
(reference-data packages), ``outbox``.
"""

from migreg_desktop.storage import records, triggers  # noqa: F401  (registry and change-log triggers)
