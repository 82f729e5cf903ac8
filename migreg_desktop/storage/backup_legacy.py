"""Reader of the backups written before format 2 (storage/backup_format.py): an encrypted copy
in chunked SecretBox, kept so that every backup ever made still restores (issue 13 §4). Nothing
writes this format any more; a plain SQLite copy, the other old kind, needs no reader.

Format "ENC1": Argon2id key, PyNaCl SecretBox in 1 MiB chunks.

File: MAGIC | salt (16) | opslimit (8) | memlimit (8) | nonce prefix (16) | chunks, each chunk
``len (4, big-endian) | SecretBox ciphertext`` of ``flag (1) | data``. The nonce is the prefix
plus the chunk number, so chunks cannot be reordered; the last chunk has flag 1, so a truncated
file is refused instead of restored half.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_

MAGIC = b"MIGREG-BACKUP-ENC1\n"


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes, ops: int, mem: int) -> bytes:
    return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt,
                               opslimit=ops, memlimit=mem)


def _nonce(prefix: bytes, n: int) -> bytes:
    return prefix + struct.pack(">Q", n)


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
