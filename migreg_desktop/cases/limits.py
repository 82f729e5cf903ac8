"""The limits of a case's values (issue 12 item 2), apart from the documents that check them:
an import's worker process checks rows against them without importing pydantic's models or the
database's (cases/record_batch, issue 17 §3)."""

from __future__ import annotations

CASE_FILE_MAX_BYTES = 1024 * 1024
NAME_MAX, NOTE_MAX, TEXT_MAX, CODE_MAX = 100, 4000, 500, 64
FULL_NAME_MAX = 3 * NAME_MAX + 2  # surname name patronymic
# Derived from surname and name when empty; a Cyrillic letter may become four Latin ones (щ → shch),
# and `case show` sends the derived value back with `case update`.
LATIN_NAME_MAX = 8 * NAME_MAX + 1
FAMILY_MAX, DOCUMENTS_MAX = 30, 50
QUOTA_YEAR_MIN, QUOTA_YEAR_MAX = 2020, 2100  # cases.cases.MSG_BAD_YEAR names them
