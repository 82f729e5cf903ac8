"""Passphrase encryption of backup files: Argon2id key, PyNaCl SecretBox in 1 MiB chunks.

File: MAGIC | salt (16) | opslimit (8) | memlimit (8) | nonce prefix (16) | chunks, each chunk
``len (4, big-endian) | SecretBox ciphertext`` of ``flag (1) | data``. The nonce is the prefix
plus the chunk number, so chunks cannot be reordered; the last chunk has flag 1, so a truncated
file is refused instead of restored half.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO

from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_

MAGIC = b"MIGREG-BACKUP-ENC1\n"
CHUNK = 1 << 20
OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes, ops: int, mem: int) -> bytes:
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt,
                               opslimit=ops, memlimit=mem)


def _nonce(prefix: bytes, n: int) -> bytes:
    return prefix + struct.pack(">Q", n)


def encrypt_file(src: Path, dst: BinaryIO, passphrase: str) -> None:
    if not passphrase:
        raise UserError(N_("the passphrase is empty"), field="passphrase")
    salt, prefix = os.urandom(pwhash.argon2id.SALTBYTES), os.urandom(16)
    box = SecretBox(_key(passphrase, salt, OPSLIMIT, MEMLIMIT))
    dst.write(MAGIC + salt + struct.pack(">QQ", OPSLIMIT, MEMLIMIT) + prefix)
    size, n = src.stat().st_size, 0
    with open(src, "rb") as fh:
        while True:
            data = fh.read(CHUNK)
            final = fh.tell() >= size
            sealed = box.encrypt(bytes([final]) + data, _nonce(prefix, n)).ciphertext
            dst.write(struct.pack(">I", len(sealed)) + sealed)
            n += 1
            if final:
                return


def decrypt_file(src: Path, dst: BinaryIO, passphrase: str) -> None:
    """Raise UserError on a wrong passphrase, a damaged or a truncated file."""
    with open(src, "rb") as fh:
        head = fh.read(len(MAGIC) + 16 + 16 + 16)
        if len(head) < len(MAGIC) + 48 or not head.startswith(MAGIC):
            raise UserError(N_("{path} is not an encrypted backup"), field="file", path=src.name)
        salt = head[len(MAGIC):len(MAGIC) + 16]
        ops, mem = struct.unpack(">QQ", head[len(MAGIC) + 16:len(MAGIC) + 32])
        prefix = head[len(MAGIC) + 32:]
        box = SecretBox(_key(passphrase, salt, ops, mem))
        n = 0
        while True:
            size = fh.read(4)
            if len(size) < 4:
                raise UserError(N_("{path} is cut short (truncated backup)"), field="file", path=src.name)
            sealed = fh.read(struct.unpack(">I", size)[0])
            try:
                plain = box.decrypt(sealed, _nonce(prefix, n))
            except CryptoError as exc:
                raise UserError(N_("wrong passphrase, or the file {path} is damaged"), field="passphrase",
                                path=src.name) from exc
            dst.write(plain[1:])
            n += 1
            if plain[0] == 1:
                return
