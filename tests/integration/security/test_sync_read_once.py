"""Issue 12 §4: a package is read once, and its inner zip is inflated within limits.

Attacks: (1) the file on the stick is swapped between the importer's reads, so it verifies the
genuine file and decrypts a forged one; (2) a signed 1 MB package that inflates to 1 GiB."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
import zlib
from itertools import product
from pathlib import Path

from migreg_desktop import paths
from migreg_desktop.storage.db import session_scope
from migreg_desktop.sync import container, keys, package
from tests.integration.security.sync_attack_kit import case_ids, run_measured, trust_one_way
from tests.unit.sync.kit import add_case, setup_office


def _swapping_open(monkeypatch, target: Path, contents: list[Path]) -> list[int]:  # noqa: ANN001
    """Each time ``target`` is opened for reading, the file at that path is replaced by the next of
    ``contents`` right after (the opener keeps the bytes it opened, as with a real swap)."""
    real_open = Path.open
    opened = [0]

    def fake_open(self: Path, mode: str = "r", *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        fh = real_open(self, mode, *args, **kwargs)
        if self == target and "r" in mode:
            opened[0] += 1
            nxt = contents[min(opened[0], len(contents) - 1)]
            tmp = target.with_name(target.name + ".swap")
            shutil.copyfile(nxt, tmp)
            os.replace(tmp, target)
        return fh

    monkeypatch.setattr(Path, "open", fake_open)
    return opened


def test_file_swapped_between_reads_applies_nothing_forged(pair, tmp_path, capsys, monkeypatch):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    add_case(district, tmp_path, 2, "kandas")
    genuine = tmp_path / "genuine.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(genuine))
    # The attacker: same office code, its own keys (never the district's private key); it knows
    # the oblast's public key, so it can encrypt for the oblast but not sign as the district.
    attacker = setup_office(tmp_path / "attacker", "ALM-KNV", capsys)
    trust_one_way(attacker, oblast, tmp_path)
    add_case(attacker, tmp_path, 77)
    forged = tmp_path / "forged.migreg"
    attacker.ok("export", "--to", "ALM-OBL", "--out", str(forged))
    forged_ids = case_ids(attacker)
    assert oblast.run("import", str(forged), "--json").json["reason_code"] == "bad_signature"

    pristine = tmp_path / "oblast-pristine"
    shutil.copytree(oblast.dir, pristine)
    target = tmp_path / "stick.migreg"
    g, f = genuine, forged
    outcomes = []
    for schedule in product((g, f), repeat=4):  # what the path holds at each of up to 4 reads
        shutil.rmtree(oblast.dir)
        shutil.copytree(pristine, oblast.dir)
        shutil.copyfile(schedule[0], target)
        with monkeypatch.context() as m:
            opened = _swapping_open(m, target, list(schedule))
            doc = oblast.run("import", str(target), "--json").json
        held = case_ids(oblast)
        assert not held & forged_ids, ([p.name for p in schedule], doc)  # the attack of issue 12
        outcomes.append((schedule[0], opened[0], doc["status"], doc.get("reason_code"), len(held)))
    assert {o[1] for o in outcomes} == {1}, "the package path is read once"
    for first, _reads, status, code, n in outcomes:  # the one read decides: genuine applies, forged fails
        assert (status, code, n) == (("applied", None, 2) if first == g else ("rejected", "bad_signature", 0))


def _bomb_zip(path: Path, header: dict, inflated: int = 1 << 30) -> None:
    """A valid zip whose records member is ``inflated`` bytes of "0" (no newline) in ~1 MB.

    The deflate stream of each 1 MiB block is the same after a full flush, so it is computed once."""
    block = b"0" * (1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    once = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    assert co.compress(block) + co.flush(zlib.Z_FULL_FLUSH) == once
    end = co.flush()

    class Repeat:
        def compress(self, _data: bytes) -> bytes:
            return once

        def flush(self) -> bytes:
            return end

    name = "records/cases.jsonl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(name, "w", force_zip64=True) as fh:
            fh._compressor = Repeat()
            for _ in range(inflated // len(block)):
                fh.write(block)
        manifest = {**header, "created_at": "2026-12-01T00:00:00+00:00", "counts": {"cases": 1},
                    "members": {name: {"sha256": "0" * 64, "bytes": inflated, "records": 1}}}
        zf.writestr(package.MANIFEST, json.dumps(manifest))


def test_zip_bomb_is_refused_quickly_within_the_memory_target(pair, tmp_path):  # noqa: F811
    district, oblast = pair
    header = {"format": 1, "kind": "data", "sender": "ALM-KNV", "receiver": "ALM-OBL", "sequence": 1}
    inner = tmp_path / "bomb.zip"
    _bomb_zip(inner, header)
    with zipfile.ZipFile(inner) as zf:  # it is a real zip: the member really inflates to 1 GiB
        assert zf.getinfo("records/cases.jsonl").file_size == 1 << 30
    paths.set_data_dir(district.dir)
    own = keys.load_keys("ALM-KNV")
    with session_scope(district.engine()) as session:
        _verify, box = keys.partner_keys("ALM-OBL", session=session)
    bomb = tmp_path / "bomb.migreg"
    container.write(bomb, header, inner, own.signing, box)  # signed by the trusted district itself
    assert bomb.stat().st_size < 2 << 20
    before = oblast.dump()
    run = run_measured(oblast.dir, "import", str(bomb), "--json")
    print(f"\nbomb import: {bomb.stat().st_size} bytes -> 1 GiB; peak RSS {run['peak_rss_mb']:.0f} MB, "
          f"{run['wall_s']:.1f} s")
    assert run["rc"] == 2, run
    doc = json.loads(run["out"])
    assert doc["status"] == "rejected" and doc["reason_code"] == "too_large", doc
    assert run["peak_rss_mb"] < 300 and run["wall_s"] < 30, run
    assert oblast.dump() == before


def test_file_over_the_maximum_is_refused_unread(pair, tmp_path, monkeypatch):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    p = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p))
    monkeypatch.setattr(container, "MAX_PACKAGE", p.stat().st_size - 1)
    r = oblast.run("import", str(p), "--json")
    assert r.code == 2 and r.json["reason_code"] == "too_large", r.json
    monkeypatch.setattr(container, "MAX_PACKAGE", p.stat().st_size)
    assert oblast.ok("import", str(p))["status"] == "applied"


def test_a_line_over_the_limit_is_refused(pair, tmp_path, monkeypatch):  # noqa: F811
    district, oblast = pair
    add_case(district, tmp_path, 1)
    p = tmp_path / "p.migreg"
    district.ok("export", "--to", "ALM-OBL", "--out", str(p))
    monkeypatch.setattr(package, "MAX_LINE", 64)
    r = oblast.run("import", str(p), "--json")
    assert r.code == 2 and r.json["reason_code"] == "too_large", r.json


def test_reference_package_swapped_between_reads_applies_nothing_forged(pair, tmp_path, capsys, monkeypatch):  # noqa: F811
    district, oblast = pair
    genuine = tmp_path / "ref.migreg"
    oblast.ok("refdata", "export", "--out", str(genuine))
    mci = json.loads(paths.resource("refdata", "mci.json").read_text(encoding="utf-8"))
    mci.update(version="2026.9", years={**mci["years"], "2026": 999999})
    bogus = tmp_path / "mci-2026.9.json"
    bogus.write_text(json.dumps(mci), encoding="utf-8")
    attacker = setup_office(tmp_path / "attacker", "ALM-OBL", capsys)  # its own keys, not the oblast's
    forged = tmp_path / "forged-ref.migreg"
    attacker.ok("refdata", "export", "--out", str(forged), "--dataset", str(bogus))

    pristine = tmp_path / "district-pristine"
    shutil.copytree(district.dir, pristine)
    target = tmp_path / "stick-ref.migreg"
    for schedule in product((genuine, forged), repeat=4):
        shutil.rmtree(district.dir)
        shutil.copytree(pristine, district.dir)
        shutil.copyfile(schedule[0], target)
        with monkeypatch.context() as m:
            _swapping_open(m, target, list(schedule))
            doc = district.run("import", str(target), "--json").json
        versions = district.ok("refdata", "status")["versions"]
        assert versions.get("mci") != "2026.9", ([p.name for p in schedule], doc)
        assert doc["status"] == ("applied" if schedule[0] == genuine else "rejected"), doc
