"""The package file: a cleartext header, an encrypted payload (a zip), a signature over it all.

    MAGIC (8 bytes "MIGREGPK") | header length (u32 BE) | header (JSON, UTF-8)
    | frames: (u32 BE length | bytes)* | signature (64 bytes)

- The payload is the inner zip (manifest + JSON Lines), cut in 1 MiB frames and encrypted with
  libsodium's secretstream (XChaCha20-Poly1305); its random key is sealed for the receiver with
  a SealedBox (X25519). The header is the first frame's associated data. Reference packages
  (for every district) are signed but not encrypted ("encryption": "none").
- The last 64 bytes are the sender's Ed25519 signature over SHA-512 of everything before them,
  so a flipped or missing byte anywhere fails before anything is decrypted or applied.
Everything streams: no step holds the package in memory.

Reading is done once (docs/package-format.md "Limits"): ``read_once`` copies the untrusted file,
at most ``MAX_PACKAGE`` bytes, into a private file of ours and hashes it on the way; the header,
the signature check and the decryption then all read that copy, so a file swapped on the stick
or share between two reads cannot make us verify one file and apply another (issue 12 §4).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, BinaryIO

from nacl import bindings as sodium
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from migreg_desktop.errors import SyncError
from migreg_desktop.i18n import N_
from migreg_desktop.storage import privacy

MAGIC = b"MIGREGPK"
FRAME = 1 << 20
SIG_BYTES = 64
MAX_HEADER = 64 * 1024
MAX_PACKAGE = 512 * 1024 * 1024  # bytes; a district's whole year is a few tens of MB
_MAX_FRAME = FRAME + sodium.crypto_secretstream_xchacha20poly1305_ABYTES
ENC_SECRETSTREAM = "x25519-sealedbox+xchacha20poly1305-secretstream"
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE

Cancel = Callable[[], bool]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


class Rejected(SyncError):
    """The package cannot be accepted; ``reason_code`` is stable for scripts and tests."""

    header: dict[str, Any] | None = None  # the envelope as read from our private copy, if any

    def __init__(self, reason_code: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.reason_code = reason_code


class _HashingWriter:
    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.hash = fh, hashlib.sha512()

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.hash.update(data)


def write(out: Path, header: dict[str, Any], payload: Path, signing: SigningKey,
          receiver_box: PublicKey | None) -> str:
    """Write the package file; returns its SHA-256 (hex). ``payload`` is the inner zip."""
    header = dict(header)
    key = None
    if receiver_box is not None:
        key = sodium.crypto_secretstream_xchacha20poly1305_keygen()
        header["encryption"] = ENC_SECRETSTREAM
        header["sealed_key"] = b64(SealedBox(receiver_box).encrypt(key))
    else:
        header["encryption"] = "none"
    head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    with privacy.open_private(out) as raw:  # an export of personal data: owner only (issue 12 §8)
        w = _HashingWriter(raw)
        w.write(MAGIC + struct.pack(">I", len(head)) + head)
        with payload.open("rb") as src:
            _write_frames(w, src, key, head)
        raw.write(signing.sign(w.hash.digest()).signature)
        raw.flush()
        os.fsync(raw.fileno())
    return file_sha256(out)


def _frame(w: _HashingWriter, data: bytes) -> None:
    w.write(struct.pack(">I", len(data)) + data)


def _write_frames(w: _HashingWriter, src: BinaryIO, key: bytes | None, head: bytes) -> None:
    if key is None:
        while chunk := src.read(FRAME):
            _frame(w, chunk)
        _frame(w, b"")  # end marker
        return
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    _frame(w, sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    chunk, first = src.read(FRAME), True
    while True:
        nxt = src.read(FRAME)
        tag = _TAG_MESSAGE if nxt else _TAG_FINAL
        _frame(w, sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, head if first else None, tag))
        if not nxt:
            return
        chunk, first = nxt, False


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(FRAME):
            h.update(chunk)
    return h.hexdigest()


def too_large(what: str, limit: int) -> Rejected:
    """``what``: the file or member name; ``limit`` in bytes."""
    return Rejected("too_large", N_("{what}: too large for a package (at most {limit} MB); nothing was changed."),
                    what=what, limit=max(1, limit >> 20))


def read_once(src: Path, dest: Path, cancel: Cancel | None = None, limit: int | None = None) -> str:
    """Copy the untrusted file ``src`` into our private ``dest`` (one read, bounded); returns
    the SHA-256 of exactly those bytes. Every later step reads ``dest``, never ``src``."""
    limit = MAX_PACKAGE if limit is None else limit
    h, total = hashlib.sha256(), 0
    try:
        with src.open("rb") as fin, dest.open("wb") as out:
            if os.fstat(fin.fileno()).st_size > limit:
                raise too_large(src.name, limit)
            while chunk := fin.read(FRAME):
                total += len(chunk)
                if total > limit:  # the file grew while we read it
                    raise too_large(src.name, limit)
                if cancel and cancel():
                    raise Rejected("cancelled", N_("Cancelled; nothing was changed."))
                h.update(chunk)
                out.write(chunk)
    except OSError as exc:
        raise Rejected("unreadable", N_("cannot read {path}: {error}"), path=src.name, error=str(exc)) from exc
    return h.hexdigest()


def read_header(path: Path, name: str | None = None) -> tuple[dict[str, Any], bytes]:
    """The cleartext header (not yet trusted: the signature is checked by ``verify``)."""
    name = name or path.name
    try:
        with path.open("rb") as fh:
            start = fh.read(len(MAGIC) + 4)
            if len(start) < len(MAGIC) + 4 or start[:len(MAGIC)] != MAGIC:
                raise Rejected("not_a_package", N_("{path} is not a package of this program"), path=name)
            (n,) = struct.unpack(">I", start[len(MAGIC):])
            head = fh.read(n) if n <= MAX_HEADER else b""
    except OSError as exc:
        raise Rejected("unreadable", N_("cannot read {path}: {error}"), path=name, error=str(exc)) from exc
    if not head or len(head) != n:
        raise Rejected("damaged", N_("The package is damaged or incomplete (header)."))
    try:
        header = json.loads(head.decode("utf-8"))
        if not isinstance(header, dict):
            raise ValueError
    except ValueError as exc:
        raise Rejected("damaged", N_("The package is damaged or incomplete (header).")) from exc
    return header, head


def verify(path: Path, verify_key: VerifyKey, cancel: Cancel | None = None) -> None:
    """Check the sender's signature over the whole file (streamed)."""
    size = path.stat().st_size
    if size < len(MAGIC) + 4 + SIG_BYTES:
        raise Rejected("damaged", N_("The package is damaged or incomplete (too short)."))
    h, left = hashlib.sha512(), size - SIG_BYTES
    with path.open("rb") as fh:
        while left:
            if cancel and cancel():
                raise Rejected("cancelled", N_("Cancelled; nothing was changed."))
            chunk = fh.read(min(FRAME, left))
            if not chunk:
                raise Rejected("damaged", N_("The package is damaged or incomplete."))
            h.update(chunk)
            left -= len(chunk)
        signature = fh.read(SIG_BYTES)
    try:
        verify_key.verify(h.digest(), signature)
    except CryptoError as exc:
        raise Rejected("bad_signature", N_("The signature does not match: the package is damaged, incomplete "
                       "or was not signed by the key trusted for {sender}."), sender="?") from exc


def _frames(fh: BinaryIO, end: int) -> Any:
    while True:
        raw = fh.read(4)
        if len(raw) != 4:
            raise Rejected("damaged", N_("The package is damaged or incomplete."))
        (n,) = struct.unpack(">I", raw)
        if n > _MAX_FRAME or fh.tell() + n > end:  # a frame is at most 1 MiB (+ its tag)
            raise Rejected("damaged", N_("The package is damaged or incomplete."))
        yield fh.read(n)


def extract(path: Path, header: dict[str, Any], head: bytes, box: PrivateKey | None, dest: Path,
            cancel: Cancel | None = None) -> None:
    """Decrypt (or copy) the payload into ``dest`` (call ``verify`` first)."""
    end = path.stat().st_size - SIG_BYTES
    with path.open("rb") as fh, dest.open("wb") as out:
        fh.seek(len(MAGIC) + 4 + len(head))
        frames = _frames(fh, end)
        if header.get("encryption") == "none":
            for chunk in frames:
                if not chunk:
                    break
                out.write(chunk)
        elif header.get("encryption") == ENC_SECRETSTREAM and box is not None:
            _decrypt(frames, header, head, box, out, cancel)
        else:
            raise Rejected("bad_format", N_("Unknown encryption {name}."), name=str(header.get("encryption")))
        if fh.tell() != end:
            raise Rejected("damaged", N_("The package is damaged or incomplete."))


def _decrypt(frames: Any, header: dict[str, Any], head: bytes, box: PrivateKey, out: BinaryIO,
             cancel: Cancel | None) -> None:
    try:
        key = SealedBox(box).decrypt(unb64(str(header.get("sealed_key", ""))))
    except (CryptoError, ValueError) as exc:
        raise Rejected("wrong_key", N_("The package was encrypted for another key: it cannot be opened "
                       "with this office's key (was it made for another office, or before our keys "
                       "were renewed?).")) from exc
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, next(frames), key)
        first = True
        while True:
            if cancel and cancel():
                raise Rejected("cancelled", N_("Cancelled; nothing was changed."))
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, next(frames), head if first else None)
            out.write(plain)
            first = False
            if tag == _TAG_FINAL:
                return
    except (CryptoError, ValueError) as exc:
        raise Rejected("damaged", N_("The package is damaged or incomplete (decryption failed).")) from exc
