"""The stored text of a decision's rule results: one spelling for the one-case and the bulk check.

A decision's ``results`` column is ``json.dumps([r.to_store() for r in results], ensure_ascii=False)``.
The bulk check (`check --all`, issue 17 §4) writes or compares 100,000 of them, so ``Encoder``
builds the same text from parts: a rule answer shared by many cases (rules/engine.Batch,
rules.base.fixed) is encoded once, and any answer is its cached head (rule, result, applies,
msgid), its params through the C encoder, and its cached tail (reference). tests/unit/eligibility
compare the text with ``results_json`` on every case of a varied database.

``Encoder.stored`` is the text in its stored form (packed_text.py: the heads and tails that are in
the packing vocabulary as their codes), built from the same cached parts: ``unpack(stored(d))``
is ``results_json(d)``.

``Encoder.digest`` is a decision's substance in 64 bits (eligibility_digest, migration 0830): a
re-check compares it instead of the 2.2 KB text, and never builds the text of a decision that
did not change. It is the digest of the verdict, ``eligible`` and each answer's text, so two
decisions have the same digest exactly when they have the same stored text (but for a 2⁻⁶⁴
collision); the same in every process (no ``hash()``: string hashes differ between processes).
"""

from __future__ import annotations

import json
from hashlib import blake2b
from json import encoder as _json_encoder
from operator import attrgetter
from typing import Any

from migreg_desktop import packed_text
from migreg_desktop.rules import Decision, RuleResult
from migreg_desktop.rules.base import VERDICTS


def results_json(decision: Decision) -> str:
    """The stored text of a decision's results (the reference spelling)."""
    return json.dumps([r.to_store() for r in decision.results], ensure_ascii=False)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), made once


def _c_encoder() -> Any:
    """``json.dumps(…, ensure_ascii=False)`` without building an encoder per call: the C encoder
    ``JSONEncoder.iterencode`` itself makes, made once (no circular check: params are plain
    trees). Falls back to the Python encoder where the C one is missing."""
    make = getattr(_json_encoder, "c_make_encoder", None)  # not in the typeshed stubs
    if make is None:  # pragma: no cover - CPython has it
        return _ENCODE
    fn = make(None, json.JSONEncoder().default, _json_encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(fn(value, 0))


class Encoder:
    """``results_json`` and ``digest`` for many decisions. Each rule answer's text and its own
    digest are worked out once and kept with the answer (``_text``, ``_digest``: not fields, so
    neither compared nor stored): the batch shares one answer among the cases alike
    (rules/engine.Batch), so a run encodes each distinct answer once (issue 17 §4). The heads and
    tails are few (rule × result × msgid, references) and kept."""

    def __init__(self) -> None:
        self._heads: dict[tuple[Any, ...], tuple[str, str]] = {}  # (text, stored form)
        self._tails: dict[str, tuple[str, str]] = {}
        self._params = _c_encoder()
        self._codes = packed_text.codes()

    def __call__(self, decision: Decision) -> str:
        try:
            return "[" + ", ".join(map(_TEXT, decision.results)) + "]"
        except AttributeError:  # an answer not encoded yet
            self._parts(decision)
            return "[" + ", ".join(map(_TEXT, decision.results)) + "]"

    def stored(self, decision: Decision) -> str:
        """``packed_text.pack(self(decision))``, from the answers' cached stored forms."""
        try:
            return _STORED_HEAD + ", ".join(map(_STORED, decision.results)) + "]"
        except AttributeError:  # an answer not encoded yet
            self._parts(decision)
            return _STORED_HEAD + ", ".join(map(_STORED, decision.results)) + "]"

    def digest(self, decision: Decision) -> int:
        """The decision's substance as a signed 64-bit integer (an SQLite INTEGER): the blake2b of
        ``eligible``, the verdict and the blake2b of each answer's text."""
        try:
            parts = b"".join(map(_DIGEST, decision.results))
        except AttributeError:  # an answer not encoded yet
            self._parts(decision)
            parts = b"".join(map(_DIGEST, decision.results))
        return int.from_bytes(blake2b(_VERDICT_HEADS[decision.verdict] + parts, digest_size=8).digest(),
                              "big", signed=True)

    def _parts(self, decision: Decision) -> None:
        """Each answer's text and digest, kept with it (its fields never change: frozen, and a
        shared answer's params are never mutated, as rules.base.fixed says)."""
        for r in decision.results:
            found = r.__dict__
            if "_digest" not in found:
                text, stored = self.both(r)
                found["_text"], found["_digest"] = text, blake2b(text.encode(), digest_size=8).digest()
                found["_stored"] = stored

    def one(self, r: RuleResult) -> str:
        """``_ENCODE(r.to_store())``: the keys in ``RuleResult.to_store`` order."""
        return self.both(r)[0]

    def both(self, r: RuleResult) -> tuple[str, str]:
        """``one(r)``, and the same with its head and tail as their packing codes where the
        vocabulary has them (a JSON text holds no control character: the codes stand out)."""
        key = (r.rule, r.result, r.applies, type(r.applies), r.msgid)
        head = self._heads.get(key)
        if head is None:
            text = (f'{{"rule": {_ENCODE(r.rule)}, "result": {_ENCODE(r.result)}, "applies": {_ENCODE(r.applies)}, '
                    f'"msgid": {_ENCODE(r.msgid)}, "params": ')
            head = self._heads[key] = (text, self._codes.get(text, text))
        tail = self._tails.get(r.reference)
        if tail is None:
            text = f', "reference": {_ENCODE(r.reference)}}}'
            tail = self._tails[r.reference] = (text, self._codes.get(text, text))
        p = r.params
        params = "{}" if type(p) is dict and not p else self._params(p)
        return head[0] + params + tail[0], head[1] + params + tail[1]


_TEXT, _DIGEST, _STORED = attrgetter("_text"), attrgetter("_digest"), attrgetter("_stored")
_STORED_HEAD = packed_text.LEAD + packed_text.VERSION + "["
# What a digest hashes before the answers: ``eligible`` (one byte), the verdict and a NUL.
# ``Decision.eligible`` is ``verdict == "eligible"``.
_VERDICT_HEADS = {v: (b"\x01" if v == "eligible" else b"\x00") + v.encode() + b"\x00" for v in VERDICTS}
