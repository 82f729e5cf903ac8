"""Fonts and line breaking for the renderer (Noto Sans shipped in resources/fonts, never the system's)."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from migreg_desktop import paths

ELLIPSIS = "…"


@cache
def font_name(filename: str) -> str:
    """Register a shipped TTF once per process; ReportLab embeds a subset in every PDF."""
    name = filename.rsplit(".", 1)[0]
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(paths.resource("fonts", filename))))
    return name


class Measure:
    """String widths with a small cache: register columns repeat the same words (kind, status)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, float], float] = {}
        self._faces: dict[str, tuple[dict[int, int], int] | None] = {}

    def width(self, text: str, font: str, size: float) -> float:
        key = (text, font, size)
        w = self._cache.get(key)
        if w is None:
            w = self._measure(text, font, size)
            if len(self._cache) > 20000:  # stay flat over a 1,000-page register
                self._cache.clear()
            self._cache[key] = w
        return w

    def _measure(self, text: str, font: str, size: float) -> float:
        """ReportLab's width of a TrueType string (the same sum of advance widths, the same
        float), without its per-call font lookup and checks: a register measures 300,000 cells
        (issue 17 §6). Other fonts go through pdfmetrics."""
        if font not in self._faces:
            face = getattr(pdfmetrics.getFont(font), "face", None)
            widths = getattr(face, "charWidths", None)
            self._faces[font] = (widths, face.defaultWidth) if face is not None and widths is not None else None
        known = self._faces[font]
        if known is None:
            return pdfmetrics.stringWidth(text, font, size)
        widths, default = known
        return 0.001 * size * sum([widths.get(ord(u), default) for u in text])

    def wrap(self, text: str, font: str, size: float, width: float, max_lines: int = 0) -> list[str]:
        """Greedy line breaking on spaces; a word longer than the line is cut by letters."""
        lines: list[str] = []
        for para in str(text).split("\n"):
            if self.width(para, font, size) <= width:
                lines.append(para)
                continue
            lines.extend(self._wrap_para(para, font, size, width))
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.fit(lines[-1] + ELLIPSIS, font, size, width)
        return lines or [""]

    def _wrap_para(self, para: str, font: str, size: float, width: float) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in para.split(" "):
            trial = f"{current} {word}" if current else word
            if self.width(trial, font, size) <= width:
                current = trial
                continue
            if current:
                lines.append(current)
            while self.width(word, font, size) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and self.width(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
        return lines

    def fit(self, text: str, font: str, size: float, width: float) -> str:
        """Shorten with an ellipsis until it fits (a cell limited to max_lines)."""
        if self.width(text, font, size) <= width:
            return text
        body = text.rstrip(ELLIPSIS)
        while body and self.width(body + ELLIPSIS, font, size) > width:
            body = body[:-1]
        return body.rstrip() + ELLIPSIS
