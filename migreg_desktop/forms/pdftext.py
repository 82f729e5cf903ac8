"""Table text written straight into the page's content stream (issue 17 §6).

ReportLab's text object does, for every string it shows, a subset split of the TrueType font,
an escape of the bytes and a float formatting of the position: a 1,000-page register shows
230,000 strings. Here the same operators are built once per distinct character, string and
number, and a table row becomes one ``BT … ET`` literal. The bytes shown are ReportLab's own:
new characters still go through ``TTFont.splitString``, which assigns them their subset codes,
so the embedded subsets are the ones ReportLab writes at ``save()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics

_ESCAPED = [escapePDF(bytes([b])) for b in range(256)]  # a byte's escape does not depend on its neighbours
_LIMIT = 50_000  # entries per cache: flat memory over any register


class TextWriter:
    """Shows strings of TrueType fonts at given positions; one per canvas (a font's subset codes
    are per document)."""

    def __init__(self, canvas: Any) -> None:
        self.c = canvas
        self._chars: dict[str, dict[str, str]] = {}  # font → char → escaped byte, subset 0 only
        self._runs: dict[tuple[str, str], list[tuple[str, str]]] = {}  # strings with another subset
        self._subset0: dict[str, str] = {}  # font → PDF name of its first subset
        self._numbers: dict[float, str] = {}
        self._dynamic: dict[str, bool] = {}

    def num(self, value: float) -> str:
        """ReportLab's number format (fp_str), once per value: positions repeat on every page."""
        text = self._numbers.get(value)
        if text is None:
            if len(self._numbers) > _LIMIT:
                self._numbers.clear()
            text = self._numbers[value] = fp_str(value)
        return text

    def supports(self, font: str) -> bool:
        """Subset-embedded TrueType fonts (all the shipped ones); others keep ReportLab's text object."""
        found = self._dynamic.get(font)
        if found is None:
            found = self._dynamic[font] = bool(getattr(pdfmetrics.getFont(font), "_dynamicFont", False))
        return found

    def runs(self, font: str, text: str) -> list[tuple[str, str]]:
        """(PDF font name of the subset, escaped bytes) pieces of ``text``, as ReportLab shows it."""
        chars = self._chars.get(font)
        if chars is None:
            chars = self._chars[font] = {}
            self._subset0[font] = pdfmetrics.getFont(font).getSubsetInternalName(0, self.c._doc)
        try:
            return [(self._subset0[font], "".join([chars[ch] for ch in text]))]
        except KeyError:  # a character not seen yet, or one of a second subset
            return self._split(font, text, chars)

    def _split(self, font: str, text: str, chars: dict[str, str]) -> list[tuple[str, str]]:
        key = (font, text)
        found = self._runs.get(key)
        if found is not None:
            return found
        face, doc = pdfmetrics.getFont(font), self.c._doc
        pieces = face.splitString(text, doc)  # assigns codes to new characters, as drawString does
        if sum(len(b) for _s, b in pieces) == len(text):  # one byte per character: learn them
            codes = [(subset, b) for subset, piece in pieces for b in piece]
            for ch, (subset, b) in zip(text, codes, strict=True):
                if subset == 0:
                    chars[ch] = _ESCAPED[b]
        found = [(face.getSubsetInternalName(subset, doc), "".join([_ESCAPED[b] for b in piece]))
                 for subset, piece in pieces]
        if len(self._runs) > _LIMIT:
            self._runs.clear()
        self._runs[key] = found
        return found

    def text_object(self, font: str, size: float, leading: float,
                    lines: Iterable[tuple[float, float, str]]) -> None:
        """One ``BT … ET`` with each (x, y, text) placed by its own matrix, in PDF coordinates."""
        if not self.supports(font):
            text_object = self.c.beginText()
            text_object.setFont(font, size, leading)
            for x, y, text in lines:
                text_object.setTextOrigin(x, y)
                text_object._textOut(text)
            self.c.drawText(text_object)
            return
        tf = f"{self.num(size)} Tf {self.num(leading)} TL"
        num = self.num
        code = ["BT"]
        current = ""
        for x, y, text in lines:
            code.append(f"1 0 0 1 {num(x)} {num(y)} Tm")
            for name, shown in self.runs(font, text):
                if name != current:
                    code.append(f"{name} {tf}")
                    current = name
                code.append(f"({shown}) Tj")
        code.append("ET")
        self.c.addLiteral(" ".join(code))

    def lines(self, segments: Iterable[tuple[float, float, float, float]]) -> None:
        """Canvas.lines (one path of straight segments), numbers formatted once per value."""
        num = self.num
        self.c.addLiteral(" ".join(["n", *(f"{num(x1)} {num(y1)} m {num(x2)} {num(y2)} l"
                                          for x1, y1, x2, y2 in segments), "S"]))
