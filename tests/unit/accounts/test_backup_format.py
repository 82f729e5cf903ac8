"""The backup file, format 2 (storage/backup_format.py) and the reader kept for the old one
(storage/backup_legacy.py): round trip, any changed byte, any cut, frames swapped."""

import io
import os
import struct
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl import pwhash
from nacl.secret import SecretBox

from migreg_desktop.errors import UserError
from migreg_desktop.storage import backup_format, backup_legacy

CHEAP = dict(OPSLIMIT=pwhash.argon2id.OPSLIMIT_MIN, MEMLIMIT=pwhash.argon2id.MEMLIMIT_MIN)


def _pack(folder, data, passphrase=None, frame=None):
    plain, packed = folder / "plain", folder / "packed.mgbak"
    plain.write_bytes(data)
    with mock.patch.multiple(backup_format, **CHEAP, **({"FRAME": frame} if frame else {})):
        backup_format.write_file(plain, packed, passphrase)
    return packed


def _unpack(packed, passphrase=None):
    out = io.BytesIO()
    backup_format.read(packed, out, passphrase)
    return out.getvalue()


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=3000), passphrase=st.sampled_from([None, "құпия сөз"]),
       cut=st.integers(min_value=1, max_value=4000), flip=st.integers(min_value=0))
def test_round_trip_and_any_cut_or_changed_byte_is_refused(tmp_path_factory, data, passphrase, cut, flip):
    packed = _pack(tmp_path_factory.mktemp("b"), data, passphrase)
    assert _unpack(packed, passphrase) == data
    whole = packed.read_bytes()
    assert backup_format.is_backup(packed) and backup_format.is_encrypted(packed) == bool(passphrase)
    packed.write_bytes(whole[:-cut] if cut < len(whole) else b"")
    with pytest.raises(UserError):
        _unpack(packed, passphrase)
    pos = flip % len(whole)
    packed.write_bytes(whole[:pos] + bytes([whole[pos] ^ 0x01]) + whole[pos + 1:])
    with pytest.raises(UserError):
        _unpack(packed, passphrase)


def test_a_database_is_compressed_and_the_messages_say_why(tmp_path):
    data = b"".join(b"case %06d kandas Almaty oblast\n" % n for n in range(20000))
    packed = _pack(tmp_path, data, frame=4096)
    assert packed.stat().st_size < len(data) // 5  # zstd at work
    assert _unpack(packed) == data
    whole = packed.read_bytes()
    packed.write_bytes(whole[:-10])
    with pytest.raises(UserError, match="cut short"):
        _unpack(packed)
    packed.write_bytes(whole + b"x")  # something appended after the final frame
    with pytest.raises(UserError, match="damaged"):
        _unpack(packed)
    middle = len(whole) // 2
    packed.write_bytes(whole[:middle] + bytes([whole[middle] ^ 0x40]) + whole[middle + 1:])
    with pytest.raises(UserError, match="damaged"):
        _unpack(packed)


def test_swapped_frames_and_wrong_passphrase_are_refused(tmp_path):
    data = os.urandom(3 * 4096)  # incompressible: three frames of 4 KiB and a last one
    packed = _pack(tmp_path, data, "pw", frame=4096)
    whole = packed.read_bytes()
    (n,) = struct.unpack(">I", whole[len(backup_format.MAGIC):len(backup_format.MAGIC) + 4])
    start = len(backup_format.MAGIC) + 4 + n + 4 + 24  # after the header and the stream header
    size = 4 + 4096 + 17
    first, second = whole[start:start + size], whole[start + size:start + 2 * size]
    packed.write_bytes(whole[:start] + second + first + whole[start + 2 * size:])
    with pytest.raises(UserError):
        _unpack(packed, "pw")
    packed.write_bytes(whole)
    with pytest.raises(UserError, match="passphrase"):
        _unpack(packed, "wrong")
    with pytest.raises(UserError, match="passphrase"):
        _unpack(packed)
    assert _unpack(packed, "pw") == data


def write_legacy(path, data, passphrase, chunk=64):
    """The format-1 writer as it shipped (ENC1: Argon2id + chunked SecretBox), for the reader's tests."""
    ops, mem = pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN
    salt, prefix = os.urandom(16), os.urandom(16)
    box = SecretBox(pwhash.argon2id.kdf(32, passphrase.encode(), salt, opslimit=ops, memlimit=mem))
    out = [backup_legacy.MAGIC + salt + struct.pack(">QQ", ops, mem) + prefix]
    pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] or [b""]
    for n, piece in enumerate(pieces):
        sealed = box.encrypt(bytes([n == len(pieces) - 1]) + piece, prefix + struct.pack(">Q", n)).ciphertext
        out.append(struct.pack(">I", len(sealed)) + sealed)
    path.write_bytes(b"".join(out))


@settings(max_examples=20, deadline=None)
@given(data=st.binary(max_size=400), cut=st.integers(min_value=1, max_value=500))
def test_old_format_still_reads_and_refuses_a_cut(tmp_path_factory, data, cut):
    enc = tmp_path_factory.mktemp("enc") / "old.sqlite3.enc"
    write_legacy(enc, data, "фраза")
    assert backup_legacy.is_encrypted(enc) and not backup_format.is_backup(enc)
    out = io.BytesIO()
    backup_legacy.decrypt_file(enc, out, "фраза")
    assert out.getvalue() == data
    whole = enc.read_bytes()
    if cut < len(whole):
        enc.write_bytes(whole[:-cut])
        with pytest.raises(UserError):
            backup_legacy.decrypt_file(enc, io.BytesIO(), "фраза")



@pytest.mark.parametrize(("field", "value"), [("memlimit", 4096), ("memlimit", 1 << 40), ("opslimit", 0),
                                              ("opslimit", 10**9), ("salt", "00")])
def test_a_header_asking_for_absurd_key_costs_is_refused_before_any_work(tmp_path, field, value):
    """A changed header must neither crash the restore nor make it spend a terabyte (found by the
    property test above: a flipped byte in ``memlimit`` raised nacl's ValueError, not ours)."""
    header = backup_format.read_header(_pack(tmp_path, b"x" * 100, "құпия сөз"))
    assert header is not None and header["encryption"] == backup_format.ENC_PASSPHRASE
    with pytest.raises(UserError) as err:
        backup_format._key({**header, field: value}, "құпия сөз", "b.mgbak")
    assert "b.mgbak" in err.value.message()
