"""The answer at the top of the report: the crossover sentence, the claims grouped by where
they hold, the largest caveat and the verdict matrix, each computed from the results (nothing
written in advance). Numbers go through `qlaci_cost.core.numbers`."""

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Callable, Optional

from qlaci_cost.core.numbers import (
    count_text,
    duration_text,
    exponent_text,
    quantity_text,
    size_text,
)

__all__ = [
    "HEADLINE_BASELINES",
    "LEGEND",
    "SYMBOLS",
    "caveat_sentence",
    "claims_sentence",
    "cheapest_flip",
    "crossover_sentence",
    "headline_text",
    "matrix",
]

#: The classical methods the crossover sentence leads with: the strongest that stream (no N x N
#: matrix in memory): QLACI's exact twin (the same outputs, no shots), linear and flash
#: attention. Naive softmax, whose N^2 scores outgrow one device early, is never the headline.
HEADLINE_BASELINES = ("qlaci-exact", "linear", "flash")
_HEADLINE_NAMES = {
    "qlaci-exact": "QLACI's exact classical twin (the same outputs, no shots)",
    "linear": "linear attention",
    "flash": "flash attention",
}

#: Verdict -> the symbol of its cell in the verdict matrix.
SYMBOLS = {"holds": "✓", "holds only for depth": "◐", "fails": "✗"}
LEGEND = (
    "✓ holds · ◐ holds only for depth (gate counts grow polynomially) · ✗ fails · "
    "blank: the claim is not judged for that model (it is about another of the family's "
    "models or protocols) · † assumed oracle cost: the claim holds by assumption, no circuit "
    "behind it"
)


def _assumed(claims) -> set[str]:
    return {r["model"] for r in claims.rows if r["qram"] != "circuit"}


def label(model: str, assumed: set[str]) -> str:
    return f"{model}†" if model in assumed else model


def crossover_sentence(inp: Any, cite: Callable[[str], str] = lambda stem: "") -> str:
    cross, top = inp.cross, size_text(max(inp.sizes))
    records = cross.records
    baselines = list(dict.fromkeys(r["baseline"] for r in records))
    wins = [r for r in records if r["crossover_N"] is not None]
    assumed = {r["model"] for r in records if r["qram"] != "circuit"}
    where = f"on an {inp.hardware} ({len(baselines)} classical baselines: {', '.join(baselines)})"
    if not records:
        return "**Crossover:** not computed (no model or baseline chosen)."
    if wins:
        first = min(wins, key=lambda r: r["crossover_N"])
        models = sorted({r["model"] for r in wins})
        text = (
            f"**Crossover:** {', '.join(label(m, assumed) for m in models)} beat"
            f"{'s' if len(models) == 1 else ''} classical attention {where}; the earliest is "
            f"{label(first['model'], assumed)} against {first['baseline']} at N = "
            f"{size_text(first['crossover_N'])} ({first['established']})."
        )
        return text
    who = "the assumed ideal QRAM included" if assumed else "every one a circuit"
    text = (
        f"**Crossover:** no QRAM model, {who}, beats classical attention {where} up to "
        f"N = {top}{_invalid_text(records, assumed)}."
    )
    figure = cite("head_vs_classical")
    text += headline_text(records, assumed) + (f" Runtimes against N: {figure}." if figure else "")
    text += cheapest_flip(getattr(inp, "breakeven", ()), cite)
    compared = [r for r in records if r["ratio"] is not None]
    if not compared:
        return text
    closest = min(compared, key=lambda r: r["ratio"])
    text += (
        f" Closest: {label(closest['model'], assumed)} against {closest['baseline']}, "
        f"{quantity_text(closest['ratio'])} times slower at N = {size_text(closest['N'])}"
    )
    figure = cite(f"crossover_{closest['baseline']}")
    text += f" ({figure})" if figure else ""
    k = inp.extrapolated.get((closest["model"], closest["baseline"]))
    if k is not None:
        text += (
            f"; its top-decade trend would reach break-even near N = {exponent_text(round(k))} "
            "(extrapolated, not computed)"
        )
    return text + "."


def headline_text(records: Sequence[Mapping], assumed: set[str]) -> str:
    """The strongest streaming classical methods (`HEADLINE_BASELINES`) against the fastest
    quantum head, in absolute times at the largest N compared ('' when none is among the
    records)."""
    parts = []
    for b in HEADLINE_BASELINES:
        mine = [r for r in records if r["baseline"] == b and r.get("quantum_s") is not None]
        if not mine or mine[0].get("classical_s") is None:
            continue
        best = min(mine, key=lambda r: r["quantum_s"])
        parts.append(
            f"{_HEADLINE_NAMES[b]} takes {duration_text(best['classical_s'])}, the fastest "
            f"quantum head ({label(best['model'], assumed)}) "
            f"{duration_text(best['quantum_s'])}, {quantity_text(best['ratio'])} times slower"
        )
    if not parts:
        return ""
    n = size_text(max(r["N"] for r in records))
    return f" Against the strongest classical methods at N = {n}: " + "; ".join(parts) + "."


def cheapest_flip(rows: Sequence[Mapping], cite: Optional[Callable[[str], str]] = None) -> str:
    """The single knob that flips a verdict against a `HEADLINE_BASELINES` method with the
    smallest change from its scenario value (a factor, on a log scale), from the break-even
    table's rows, or that none does ('' without rows)."""
    rows = [r for r in rows if r["baseline"] in HEADLINE_BASELINES]
    if not rows:
        return ""
    flips = []
    for r in rows:
        try:
            value, now = float(r["value"]), float(r["scenario_value"])
        except (TypeError, ValueError):
            continue  # a readout method: not a number
        if r["status"] == "flip" and value > 0 and now > 0:
            flips.append((abs(math.log(value / now)), r))
    names = ", ".join(dict.fromkeys(r["baseline"] for r in rows))
    if not flips:
        return (
            f" No single knob within its physical range makes any model break even against "
            f"{names} (break-even table; each model's tornado figure shows every knob's range)."
        )
    _, r = min(flips, key=lambda f: f[0])
    knob = r["knob"].replace(" x method=", " with ")
    stem = f"tornado_{r['model']}"
    figure = (cite(stem) if cite is not None else "") or f"figures/{stem}.png"
    return (
        f" The cheapest single flip (the smallest factor from a scenario value, break-even "
        f"table; {figure}): {r['model']} against {r['baseline']} "
        f"at N = {r['N']} breaks even at {knob} = {r['breakeven_value']} (scenario "
        f"{r['scenario_value']})."
    )


def _invalid_text(records: Sequence[Mapping], assumed: set[str]) -> str:
    """Where the verdict rests on no estimate: the N at which a model's physical estimate is
    outside its error budget (not an estimate, so not compared), grouped by those N."""
    groups: dict[tuple, list[str]] = {}
    for r in records:
        if r.get("invalid_N"):
            models = groups.setdefault(tuple(r["invalid_N"]), [])
            if r["model"] not in models:
                models.append(r["model"])
    if not groups:
        return ""
    parts = [
        f"at N = {', '.join(size_text(n) for n in sizes)} for "
        + ", ".join(label(m, assumed) for m in models)
        for sizes, models in groups.items()
    ]
    return (
        " wherever it has an estimate (outside the physical model's error budget, not an "
        "estimate and not compared: " + "; ".join(parts) + ")"
    )


def claims_sentence(rows: Sequence[Mapping], lead: str = "Claims") -> str:
    """The claims grouped by where they hold: with a circuit, only under an assumed model, for
    depth only, under no model (a depth-only partial verdict is named with its models)."""
    assumed = {r["model"] for r in rows if "assumed" in str(r.get("qram", ""))}
    models = list(dict.fromkeys(r["model"] for r in rows))
    by_claim: dict[str, dict[str, list[str]]] = {}
    names: dict[str, str] = {}
    for r in rows:
        names[r["key"]] = r["claim"].removeprefix(f"{lead}: ")
        by_claim.setdefault(r["key"], {}).setdefault(r["verdict"], []).append(r["model"])
    groups: dict[str, list[str]] = {}
    for key, verdicts in by_claim.items():
        holds = verdicts.get("holds", [])
        depth = verdicts.get("holds only for depth", [])
        circuits = [m for m in holds if m not in assumed]
        name = names[key]
        if depth and holds:
            name += f" (for depth also: {', '.join(depth)})"
        if circuits:
            also = [m for m in holds if m in assumed]
            text = f"{name} ({', '.join(circuits)}"
            text += f"; assumed: {', '.join(label(m, assumed) for m in also)})" if also else ")"
            groups.setdefault("with a circuit", []).append(text)
        elif holds:
            what = "only under the assumed " + ", ".join(holds)
            groups.setdefault(what, []).append(name)
        elif depth:
            where = "every model" if len(depth) == len(models) else ", ".join(depth)
            groups.setdefault(f"for depth only ({where})", []).append(name)
        else:
            groups.setdefault("under no model", []).append(name)
    parts = [f"holds {where}: {'; '.join(claims)}" for where, claims in groups.items()]
    return f"**{lead}:** " + ". ".join(p[0].upper() + p[1:] for p in parts) + "."


def caveat_sentence(claims, sizes: Sequence[int]) -> str:
    sim = claims.simulation
    res = sim.get("resolution", {})
    text = (
        "**Largest caveat:** QLACI is not softmax attention. Simulated at "
        f"N = {sim['N']} ({sim['model']} QRAM), a query returns the uniform average "
        f"(1/N) Σ_j f(Q_i, K_j, V_j) (difference {quantity_text(sim['kernel_error'])}), not the "
        f"softmax-weighted one (difference {quantity_text(sim['softmax_gap'])}); "
        "duplicating a key-value pair moves the output by exactly 1/N of the difference."
    )
    if res:
        text += (
            f" Resolving one position's share (eps = {res['rel']}/N) takes "
            f"{count_text(res['shots'])} Hoeffding shots per observable at "
            f"N = {size_text(res['N'])}, growing as {res['leading_order']}."
        )
    if _assumed(claims):
        text += (
            " The cost claims that hold, hold under the ideal QRAM only: an assumed cost no "
            "circuit achieves for arbitrary data."
        )
    return text


def matrix(rows: Sequence[Mapping], evidence: Optional[Mapping[str, str]] = None) -> str:
    """Claims x models, a verdict symbol per cell; with `evidence` (claim key -> a file of the
    report), a last column links each claim to where its numbers are."""
    models = list(dict.fromkeys(r["model"] for r in rows))
    assumed = {r["model"] for r in rows if "assumed" in str(r.get("qram", ""))}
    cells: dict[tuple, str] = {(r["key"], r["model"]): r["verdict"] for r in rows}
    keys = list(dict.fromkeys(r["key"] for r in rows))
    names = {r["key"]: r["claim"] for r in rows}
    head = ["claim"] + [label(m, assumed) for m in models] + (["evidence"] if evidence else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for key in keys:
        row = [names[key]] + [SYMBOLS.get(cells.get((key, m), ""), "") for m in models]
        if evidence:
            where = evidence.get(key, "claims.csv")
            row.append(f"[{Path(where).name}]({where})")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
