"""The QR code printed on a form holds the case id: sample the rendered modules against segno's matrix."""

from __future__ import annotations

import subprocess

import segno
from PIL import Image

from migreg_desktop.forms.layout import load_layout


def test_qr_on_the_receipt_is_the_case_id(cli, printed, tmp_path):
    shown = cli("case", "show", printed["kandas"], "--json").json
    out = tmp_path / "r.pdf"
    assert cli("form", "receipt", printed["kandas"], "--lang", "kk", "--out", str(out)).code == 0
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", "-singlefile", str(out),
                    str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    qr = next(e for e in load_layout("receipt")["page_elements"] if e["type"] == "qr")
    matrix = segno.make(shown["id"], error="m", micro=False).matrix
    px = 300 / 25.4
    cell = qr["size"] / (len(matrix) + 8)  # 4-module quiet zone each side
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            x = (qr["x"] + (c + 4.5) * cell) * px
            y = (qr["y"] + (r + 4.5) * cell) * px
            assert (image.getpixel((int(x), int(y))) < 128) == bool(dark), (r, c)
