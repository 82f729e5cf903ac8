"""sync/package: a batch of lines is parsed by pydantic-core, and whatever it refuses by ``json``
again, so a package is taken or refused exactly as ``json`` would (issue 17 §3)."""

from __future__ import annotations

import json

import pytest

from migreg_desktop.sync.package import _parse_batch

LINES = [
    b'{"id":"a","version":1,"data":{"surname":"\xd0\x90\xd1\x85\xd0\xbc\xd0\xb5\xd1\x82\xd0\xbe\xd0\xb2","n":12345678901234567890123,"x":1.0000000000000002,"ok":true,"none":null}}',
    b'{"a":1,"a":2}',  # the last of two equal keys, as json
    b'{"name":"\\ud800"}',  # a lone surrogate: json keeps it, the record checks refuse it by name
    b'{"v":NaN}',
]


@pytest.mark.parametrize("line", LINES)
def test_the_same_objects_as_json(line):
    blob = b"[" + line + b"]"
    got, want = _parse_batch(blob), json.loads(blob)
    assert repr(got) == repr(want)  # repr: NaN is not equal to itself


@pytest.mark.parametrize("blob", [b"[1,]", b'[{"a":}]', b"[\xff]", b'[{"a":1}'])
def test_what_json_refuses_is_refused(blob):
    with pytest.raises(ValueError):
        _parse_batch(blob)
