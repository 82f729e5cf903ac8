import io
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl import pwhash

from migreg_desktop.errors import UserError
from migreg_desktop.storage import backup_crypto

CHEAP = dict(OPSLIMIT=pwhash.argon2id.OPSLIMIT_MIN, MEMLIMIT=pwhash.argon2id.MEMLIMIT_MIN, CHUNK=64)


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=400), cut=st.integers(min_value=1, max_value=500))
def test_round_trip_and_any_truncation_is_refused(tmp_path_factory, data, cut):
    folder = tmp_path_factory.mktemp("enc")
    plain, enc = folder / "plain", folder / "enc"
    plain.write_bytes(data)
    with mock.patch.multiple(backup_crypto, **CHEAP):
        with open(enc, "wb") as fh:
            backup_crypto.encrypt_file(plain, fh, "фраза")
        out = io.BytesIO()
        backup_crypto.decrypt_file(enc, out, "фраза")
        assert out.getvalue() == data
        whole = enc.read_bytes()
        if cut < len(whole):
            enc.write_bytes(whole[:-cut])
            with pytest.raises(UserError):
                backup_crypto.decrypt_file(enc, io.BytesIO(), "фраза")


def test_swapped_chunks_are_refused(tmp_path):
    plain, enc = tmp_path / "plain", tmp_path / "enc"
    plain.write_bytes(b"a" * 64 + b"b" * 64 + b"c")
    with mock.patch.multiple(backup_crypto, **CHEAP):
        with open(enc, "wb") as fh:
            backup_crypto.encrypt_file(plain, fh, "pw")
        raw = enc.read_bytes()
        head = len(backup_crypto.MAGIC) + 48
        size = 4 + 16 + 1 + 64  # length prefix + MAC + flag + data
        first, second = raw[head:head + size], raw[head + size:head + 2 * size]
        enc.write_bytes(raw[:head] + second + first + raw[head + 2 * size:])
        with pytest.raises(UserError):
            backup_crypto.decrypt_file(enc, io.BytesIO(), "pw")
