"""Figure captions and citations.

Every figure the index shows is numbered in the order the text first cites it ("Figure 2"),
shown once, under the text that cites it, with a caption that says what it shows; every other
figure is listed in the index's gallery with the caption of its group. The captions live here
only: the gallery and the numbered figures read the same text.
"""

from pathlib import Path
from typing import Mapping, Optional, Sequence

__all__ = ["GROUP_CAPTIONS", "Figures", "figure_group", "group_caption"]

#: What each group of figures shows (`figure_group` of a file's stem), in words.
GROUP_CAPTIONS = {
    "qram": "One QRAM query against N (memory cells), one figure per metric: each model's "
    "closed form at every size of the grid, with its fitted slope over the top decade",
    "head": "One QLACI head (N queries, shots included) against N (sequence length), one "
    "figure per total",
    "crossover": "Runtime of one quantum head divided by that of one classical head against N "
    "(sequence length), one figure per classical baseline: below 1 the quantum head is faster",
    "head_vs_classical": "Runtime, logical qubits and classical memory of one head against N "
    "(sequence length): the quantum head under each QRAM model (surface-code estimate) and "
    "each classical method on one GPU (roofline)",
    "frontier": "Physical qubits against runtime of one head at the largest N of the physical "
    "estimates, as the number of magic-state factories varies; a star marks the point the "
    "estimates use (the fastest)",
    "tornado": "Break-even tornado of one QRAM model at the largest N: each knob moved across "
    "its physical range, the runtime ratio quantum / classical head at its two ends",
    "bloq": "One bloq at a small N: its call graph (every node's counts) above the circuit of "
    "an instance (Qualtran's musical score)",
}


def figure_group(stem: str) -> str:
    """The group of a figure's file stem: `qram_toffoli` -> `qram`."""
    return stem if stem in GROUP_CAPTIONS else stem.split("_")[0]


def group_caption(stem: str) -> str:
    """The caption of a figure's group (the stem itself when it has none)."""
    return GROUP_CAPTIONS.get(figure_group(stem), stem)


class Figures:
    """The numbered figures of one index: `cite(stem)` gives a link to "Figure k" (k in the
    order of first citation), `show(stem, caption)` the figure itself once (an anchor, the
    image, its caption); a stem the report did not draw is cited as nothing."""

    def __init__(self, written: Sequence[str]) -> None:
        self.paths: dict[str, str] = {}
        for f in written:
            stem, ext = Path(f).stem, Path(f).suffix
            if ext in (".png", ".svg") and (stem not in self.paths or ext == ".png"):
                self.paths[stem] = f
        self.numbers: dict[str, int] = {}
        self.shown: set[str] = set()

    def number(self, stem: str) -> Optional[int]:
        if stem not in self.paths:
            return None
        return self.numbers.setdefault(stem, len(self.numbers) + 1)

    def cite(self, stem: str) -> str:
        """`[Figure k](#figure-k)`, or '' when the report drew no such figure."""
        k = self.number(stem)
        return "" if k is None else f"[Figure {k}](#figure-{k})"

    def show(self, stem: str, caption: str) -> list[str]:
        """The figure's lines (anchor, image, `*Figure k. caption*`), once; [] after that or
        when the report drew no such figure."""
        k = self.number(stem)
        if k is None or stem in self.shown:
            return []
        self.shown.add(stem)
        return [
            f'<a id="figure-{k}"></a>',
            "",
            f"![Figure {k}: {stem}]({self.paths[stem]})",
            "",
            f"*Figure {k}. {caption}.*",
            "",
        ]

    def uncited(self, captions: Mapping[str, str]) -> list[str]:
        """The lines of every figure cited but not yet shown, in citation order."""
        out: list[str] = []
        for stem in sorted(self.numbers, key=self.numbers.get):
            out += self.show(stem, captions.get(stem, group_caption(stem)))
        return out
