"""The stored text of a decision's rule results: one spelling for the one-case and the bulk check.

A decision's ``results`` column is ``json.dumps([r.to_store() for r in results], ensure_ascii=False)``.
The bulk check (`check --all`, issue 17 §4) writes or compares 100,000 of them, so ``Encoder``
builds the same text from parts: a rule answer shared by many cases (rules/engine.Batch,
rules.base.fixed) is encoded once, and any answer is its cached head (rule, result, applies,
msgid), its params through the C encoder, and its cached tail (reference). tests/unit/eligibility
compare the text with ``results_json`` on every case of a varied database.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring
from typing import Any

from migreg_desktop.rules import Decision, RuleResult


def results_json(decision: Decision) -> str:
    """The stored text of a decision's results (the reference spelling)."""
    return json.dumps([r.to_store() for r in decision.results], ensure_ascii=False)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), made once


def _c_encoder() -> Any:
    """``json.dumps(…, ensure_ascii=False)`` without building an encoder per call: the C encoder
    ``JSONEncoder.iterencode`` itself makes, made once (no circular check: params are plain
    trees). Falls back to the Python encoder where the C one is missing."""
    if c_make_encoder is None:  # pragma: no cover - CPython has it
        return lambda value: _ENCODE(value)
    fn = c_make_encoder(None, json.JSONEncoder().default, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(fn(value, 0))


class Encoder:
    """``results_json`` for many decisions of one ``Batch``. Shared answers are keyed by identity
    (the entry holds the answer, so its id cannot be reused); ``clear`` after each flush keeps
    memory flat. The heads and tails are few (rule × result × msgid, references) and kept."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[RuleResult, str]] = {}
        self._heads: dict[tuple[Any, ...], str] = {}
        self._tails: dict[str, str] = {}
        self._params = _c_encoder()

    def __call__(self, decision: Decision) -> str:
        parts = []
        done = self._done
        for r in decision.results:
            hit = done.get(id(r))
            if hit is None:
                hit = done[id(r)] = (r, self.one(r))
            parts.append(hit[1])
        return "[" + ", ".join(parts) + "]"

    def one(self, r: RuleResult) -> str:
        """``_ENCODE(r.to_store())``: the keys in ``RuleResult.to_store`` order."""
        key = (r.rule, r.result, r.applies, type(r.applies), r.msgid)
        head = self._heads.get(key)
        if head is None:
            head = self._heads[key] = (
                f'{{"rule": {_ENCODE(r.rule)}, "result": {_ENCODE(r.result)}, "applies": {_ENCODE(r.applies)}, '
                f'"msgid": {_ENCODE(r.msgid)}, "params": ')
        tail = self._tails.get(r.reference)
        if tail is None:
            tail = self._tails[r.reference] = f', "reference": {_ENCODE(r.reference)}}}'
        p = r.params
        return head + ("{}" if type(p) is dict and not p else self._params(p)) + tail

    def clear(self) -> None:
        self._done.clear()
