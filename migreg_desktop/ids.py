"""UUIDv7 ids (time-ordered, RFC 9562) for records that travel between offices."""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A UUIDv7 string; monotonic within one process (12-bit counter in rand_a)."""
    return uuid7_many(1)[0]


def uuid7_many(n: int) -> list[str]:
    """``n`` UUIDv7 strings, as ``n`` calls of ``uuid7`` give them (the bulk eligibility check
    numbers 100,000 decisions at once: one lock and one read of the random source, issue 17 §4)."""
    global _last_ms, _counter
    rand = os.urandom(8 * n)
    out = []
    with _lock:
        for i in range(n):
            ms = time.time_ns() // 1_000_000
            if ms <= _last_ms:
                _counter += 1
                if _counter > 0xFFF:
                    _last_ms += 1
                    _counter = 0
                ms = _last_ms
            else:
                _last_ms = ms
                _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
            rand_b = int.from_bytes(rand[8 * i:8 * i + 8], "big") & ((1 << 62) - 1)
            h = f"{(ms << 80) | (0x7 << 76) | (_counter << 64) | (0b10 << 62) | rand_b:032x}"
            out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")  # str(uuid.UUID(int=…))
    return out
