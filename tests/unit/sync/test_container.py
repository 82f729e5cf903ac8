"""The package file on its own: round trip, every byte covered by the signature, streaming."""

from __future__ import annotations

import zipfile

import pytest
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from migreg_desktop.sync import container, package


def _payload(tmp_path, size: int = 3 * container.FRAME + 123):  # noqa: ANN001
    p = tmp_path / "inner.bin"
    p.write_bytes(bytes((i * 7) % 251 for i in range(size)))
    return p


def _write(tmp_path, box=None):  # noqa: ANN001
    sign, recv = SigningKey.generate(), PrivateKey.generate()
    out = tmp_path / "p.migreg"
    header = {"format": 1, "kind": "data", "sender": "A", "receiver": "B", "sequence": 1}
    container.write(out, header, _payload(tmp_path), sign, recv.public_key if box is None else box)
    return out, sign, recv


def test_round_trip_in_frames(tmp_path):
    out, sign, recv = _write(tmp_path)
    header, head = container.read_header(out)
    assert header["encryption"] == container.ENC_SECRETSTREAM and header["sequence"] == 1
    container.verify(out, sign.verify_key)
    dest = tmp_path / "back.bin"
    container.extract(out, header, head, recv, dest)
    assert dest.read_bytes() == (tmp_path / "inner.bin").read_bytes()


def test_every_region_of_the_file_is_authenticated(tmp_path):
    out, sign, recv = _write(tmp_path)
    data = out.read_bytes()
    for pos in range(0, len(data), max(1, len(data) // 97)):
        bad = tmp_path / "bad.migreg"
        raw = bytearray(data)
        raw[pos] ^= 0x40
        bad.write_bytes(bytes(raw))
        with pytest.raises(container.Rejected):
            header, head = container.read_header(bad)
            container.verify(bad, sign.verify_key)
            container.extract(bad, header, head, recv, tmp_path / "x.bin")


def test_wrong_receiver_key_cannot_open(tmp_path):
    out, sign, _recv = _write(tmp_path)
    header, head = container.read_header(out)
    with pytest.raises(container.Rejected) as exc:
        container.extract(out, header, head, PrivateKey.generate(), tmp_path / "x.bin")
    assert exc.value.reason_code == "wrong_key"


def test_signed_only_package(tmp_path):
    sign = SigningKey.generate()
    out = tmp_path / "r.migreg"
    container.write(out, {"format": 1, "kind": "refdata"}, _payload(tmp_path, 10), sign, None)
    header, head = container.read_header(out)
    container.verify(out, sign.verify_key)
    container.extract(out, header, head, None, tmp_path / "r.bin")
    assert (tmp_path / "r.bin").read_bytes() == (tmp_path / "inner.bin").read_bytes()[:10]
    with pytest.raises(container.Rejected):
        container.verify(out, SigningKey.generate().verify_key)


def test_members_are_hashed_and_checked(tmp_path):
    inner = tmp_path / "inner.zip"
    w = package.PackageWriter(inner)
    with w.member("records/cases.jsonl") as m:
        m.line({"id": "x", "n": 1})
        m.line({"id": "y", "n": 2})
    header = {"format": 1, "kind": "data", "sender": "A", "receiver": "B", "sequence": 3}
    manifest = w.finish(package.base_manifest("data", "A", "B", 3))
    assert manifest["members"]["records/cases.jsonl"]["records"] == 2
    reader = package.PackageReader(inner, header)
    assert [r["n"] for r in reader.lines("records/cases.jsonl")] == [1, 2]
    reader.close()
    with pytest.raises(container.Rejected) as exc:
        package.PackageReader(inner, {**header, "sequence": 4})
    assert exc.value.reason_code == "bad_schema"
    # A member rewritten behind the manifest's back: the SHA-256 check catches it.
    tampered = tmp_path / "t.zip"
    with zipfile.ZipFile(inner) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b'"n":2', b'"n":9') if name.endswith("jsonl") else data)
    reader = package.PackageReader(tampered, header)
    with pytest.raises(container.Rejected) as exc:
        list(reader.lines("records/cases.jsonl"))
    assert exc.value.reason_code == "bad_hash"
    reader.close()
