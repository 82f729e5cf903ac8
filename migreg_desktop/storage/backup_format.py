"""The backup file (issue 13 §4, issue 17 §2): the database, compressed with Zstandard, in a
libsodium secretstream (XChaCha20-Poly1305), the same construction as the sync package
(sync/container.py).

    MAGIC "MIGREG-BACKUP-2\\n" | header length (u32 BE) | header (JSON, UTF-8)
    | frames: (u32 BE length | bytes)*

- frame 0 is the secretstream header; every further frame is one pushed message holding up to
  ``FRAME`` bytes of the zstd stream; the first message carries the file header as associated
  data (a changed header fails), the last one has ``TAG_FINAL`` and nothing may follow it, so a
  flipped byte, a swapped or missing frame or a cut file is refused before anything is restored.
- With a passphrase the key is Argon2id(passphrase, salt) with the header's limits. Without one,
  the random key is written in the header: the stream then proves the file whole (damage, cut
  short), not who wrote it — the same as the SQLite copy it replaces, now checked end to end.
- Why Zstandard (docs/backups.md): at level 3 it packs a demo database about as small as lzma -6
  at a twentieth of lzma's time, and restores at disk speed; python-zstandard ships wheels for
  Windows, Linux and macOS on every CPython release.
Old files (a plain SQLite copy, or the chunked SecretBox format "ENC1") are read by
storage/backup_legacy.py.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import zstandard
from nacl import bindings as sodium
from nacl import pwhash
from nacl.exceptions import CryptoError

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_

MAGIC = b"MIGREG-BACKUP-2\n"
FRAME = 1 << 20
LEVEL = 3  # measured in benchmarks/bench_backup.py: higher levels cost much time for ~5 % bytes
MAX_HEADER = 16 * 1024
OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE
# A header's key-derivation costs are believed only within these bounds: a changed header must not
# make the restore spend gigabytes or hours before the check fails (a backup file may be hostile).
KDF_OPS = (pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.OPSLIMIT_SENSITIVE)
KDF_MEM = (pwhash.argon2id.MEMLIMIT_MIN, pwhash.argon2id.MEMLIMIT_SENSITIVE)
KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
ENC_PASSPHRASE = "argon2id+xchacha20poly1305-secretstream"
ENC_NONE = "none+xchacha20poly1305-secretstream"  # key in the header: integrity only

Progress = Callable[[int, int], None]


def is_backup(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def read_header(path: Path) -> dict[str, Any] | None:
    """The header of a file of this format, or None for any other file."""
    try:
        with open(path, "rb") as fh:
            return _header(fh, path.name)[0]
    except (OSError, UserError):
        return None


def is_encrypted(path: Path) -> bool:
    header = read_header(path)
    return bool(header and header.get("encryption") == ENC_PASSPHRASE)


def _kdf(passphrase: str, salt: bytes, ops: int, mem: int) -> bytes:
    return pwhash.argon2id.kdf(KEY_BYTES, passphrase.encode("utf-8"), salt, opslimit=ops, memlimit=mem)


def _new_header(passphrase: str | None) -> tuple[dict[str, Any], bytes]:
    header: dict[str, Any] = {"format": 2, "compression": "zstd", "content": "sqlite3"}
    if passphrase:
        salt = sodium.randombytes(pwhash.argon2id.SALTBYTES)
        header |= {"encryption": ENC_PASSPHRASE, "salt": salt.hex(), "opslimit": OPSLIMIT, "memlimit": MEMLIMIT}
        return header, _kdf(passphrase, salt, OPSLIMIT, MEMLIMIT)
    if passphrase is not None:
        raise UserError(N_("the passphrase is empty"), field="passphrase")
    key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
    return header | {"encryption": ENC_NONE, "key": key.hex()}, key


def _frame(dst: BinaryIO, data: bytes) -> None:
    dst.write(struct.pack(">I", len(data)) + data)


def _compressed_chunks(src: BinaryIO, progress: Progress | None, total: int) -> Iterator[bytes]:
    """The zstd stream of ``src`` in pieces of at most FRAME bytes."""
    cctx = zstandard.ZstdCompressor(level=LEVEL, write_checksum=True)
    buf = bytearray()
    for piece in cctx.read_to_iter(src, read_size=FRAME, write_size=FRAME):
        buf += piece
        while len(buf) >= FRAME:
            yield bytes(buf[:FRAME])
            del buf[:FRAME]
        if progress:
            progress(src.tell(), total)
    yield bytes(buf)


def write(src: Path, dst: BinaryIO, passphrase: str | None = None, progress: Progress | None = None) -> None:
    """Compress and seal the SQLite file ``src`` into ``dst``; ``passphrase`` None: not encrypted."""
    header, key = _new_header(passphrase)
    head = json.dumps(header, sort_keys=True).encode("utf-8")
    dst.write(MAGIC + struct.pack(">I", len(head)) + head)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    _frame(dst, sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    total = src.stat().st_size
    with open(src, "rb") as fh:
        chunks = _compressed_chunks(fh, progress, total)
        chunk, first = next(chunks), True
        for nxt in chunks:
            _frame(dst, sodium.crypto_secretstream_xchacha20poly1305_push(
                state, chunk, head if first else None, _TAG_MESSAGE))
            chunk, first = nxt, False
        _frame(dst, sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, head if first else None, _TAG_FINAL))


def write_file(src: Path, target: Path, passphrase: str | None = None, progress: Progress | None = None) -> Path:
    """``write`` into a hidden ``.partial`` file (owner only) renamed to ``target`` once complete
    and flushed: a crash never leaves half a backup under a backup's name (issue 7 §3)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(src, fh, passphrase, progress)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target


def _damaged(name: str) -> UserError:
    return UserError(N_("{path} is damaged or was changed after it was written; it was not restored."),
                     field="file", path=name)


def _cut(name: str) -> UserError:
    return UserError(N_("{path} is cut short (truncated backup)"), field="file", path=name)


def _header(fh: BinaryIO, name: str) -> tuple[dict[str, Any], bytes]:
    start = fh.read(len(MAGIC) + 4)
    if start[:len(MAGIC)] != MAGIC:
        raise UserError(N_("{path} is not a backup of this program"), field="file", path=name)
    if len(start) < len(MAGIC) + 4:
        raise _cut(name)
    (n,) = struct.unpack(">I", start[len(MAGIC):])
    if n > MAX_HEADER:
        raise _damaged(name)
    head = fh.read(n)
    if len(head) != n:
        raise _cut(name)
    try:
        header = json.loads(head.decode("utf-8"))
        if not isinstance(header, dict) or header.get("format") != 2 or header.get("compression") != "zstd":
            raise ValueError
    except ValueError as exc:
        raise _damaged(name) from exc
    return header, head


def _frames(fh: BinaryIO, name: str) -> Iterator[bytes]:
    while True:
        raw = fh.read(4)
        if not raw:
            raise _cut(name)
        if len(raw) != 4:
            raise _cut(name)
        (n,) = struct.unpack(">I", raw)
        if n > FRAME + _ABYTES:
            raise _damaged(name)
        data = fh.read(n)
        if len(data) != n:
            raise _cut(name)
        yield data


def _key(header: dict[str, Any], passphrase: str | None, name: str) -> bytes:
    try:
        if header.get("encryption") == ENC_NONE:
            return bytes.fromhex(str(header["key"]))
        if header.get("encryption") != ENC_PASSPHRASE:
            raise ValueError
        salt = bytes.fromhex(str(header["salt"]))
        ops, mem = int(header["opslimit"]), int(header["memlimit"])
        if len(salt) != pwhash.argon2id.SALTBYTES or not (KDF_OPS[0] <= ops <= KDF_OPS[1]) \
                or not (KDF_MEM[0] <= mem <= KDF_MEM[1]):
            raise ValueError
    except (KeyError, ValueError, TypeError) as exc:
        raise _damaged(name) from exc
    if not passphrase:
        raise UserError(N_("{path} is encrypted: give its passphrase"), field="passphrase", path=name)
    try:
        return _kdf(passphrase, salt, ops, mem)
    except (CryptoError, ValueError, TypeError) as exc:  # nacl's own checks of the costs
        raise _damaged(name) from exc


def read(src: Path, dst: BinaryIO, passphrase: str | None = None) -> None:
    """Check and unpack ``src`` into ``dst``. UserError on a wrong passphrase, a changed, damaged
    or cut file; the caller throws ``dst`` away then."""
    name = src.name
    with open(src, "rb") as fh:
        header, head = _header(fh, name)
        key = _key(header, passphrase, name)
        frames = _frames(fh, name)
        state = sodium.crypto_secretstream_xchacha20poly1305_state()
        dctx = zstandard.ZstdDecompressor().decompressobj()
        first = True
        try:
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, next(frames), key)
            while True:
                sealed = next(frames)
                plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, sealed, head if first else None)
                dst.write(dctx.decompress(plain))
                first = False
                if tag == _TAG_FINAL:
                    break
        except (CryptoError, ValueError, zstandard.ZstdError) as exc:
            if first and header.get("encryption") == ENC_PASSPHRASE:
                raise UserError(N_("wrong passphrase, or the file {path} is damaged"), field="passphrase",
                                path=name) from exc
            raise _damaged(name) from exc
        if fh.read(1) or not dctx.eof:  # bytes after the final frame, or a zstd stream not closed
            raise _damaged(name)
