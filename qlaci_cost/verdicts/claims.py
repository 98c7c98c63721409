"""The claim table: the claims of every registered model family, family by family.

Each family judges its own claims (its `claims` hook: `qlaci.claims` for the six claims of
the QLACI proposal, `qlam.claims` for QLAM's, ...) under one scenario; `claim_table` gathers
their rows, evidence and notes, and `verdict_text` says in one line per claim which models it
holds, holds only for depth, or fails for. The rules behind a verdict are
`analysis.claim_rules`.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Optional

from qlaci_cost.analysis.claim_rules import VERDICTS
from qlaci_cost.analysis.scenario import LEGACY_READOUT, Scenario, fold_legacy
from qlaci_cost.core.family import (
    as_claims,
    families,
    family_models,
    family_options,
    unknown_options,
)
from qlaci_cost.core.grids import DEFAULT_SIZES
from qlaci_cost.errors import InputError

__all__ = ["COLUMNS", "EVIDENCE", "ClaimTable", "claim_table", "verdict_text"]

COLUMNS: tuple[str, ...] = ("claim", "model", "qram", "verdict", "evidence")

#: Where each claim's numbers are, best first: a figure (by stem) or a table file of the
#: report; a claim not named here, or whose files are missing, links to claims.csv.
EVIDENCE: dict[str, tuple[str, ...]] = {
    "qubits": ("figures/qram_qubits", "scaling.csv"),
    "query-cost": ("figures/qram_toffoli", "scaling.csv"),
    "head-cost": ("figures/head_total_toffoli", "qlaci_head.csv"),
    "no-pairwise": ("figures/head_total_toffoli", "qlaci_head.csv"),
    "needs-quantum": ("figures/crossover_qlaci-exact", "crossover.csv"),
    "multi-query": ("multi_query_table.csv",),
    "data-parallel": ("multi_query_table.csv",),
    "global-tokens": ("multi_query_table.csv",),
    "trainable": ("training_table.csv",),
}


class ClaimTable(NamedTuple):
    """Rows (`COLUMNS`), per-metric evidence, the simulation behind claim 5, notes, summary."""

    rows: list
    evidence: list
    simulation: dict
    notes: list
    verdict_text: str


def claim_table(
    models: Optional[Iterable[str]] = None,
    sizes: Iterable[int] = DEFAULT_SIZES,
    scenario: Optional[Scenario] = None,
    family_names: Optional[Sequence[str]] = None,
    **options: Any,
) -> ClaimTable:
    """The claims of every registered model family, with the numbers behind them.

    Each family (`core.family.families`) judges its claims for its models among `models`
    (all of its `models()` when None: `MODELS` and every registered QRAM model for QLACI)
    under the one `scenario` (default `DEFAULT_SCENARIO`; the old keywords conventions,
    precision, method, delta and grouped still work for one release); rows, evidence and
    notes are gathered family by family, `simulation` holds the families' details (QLACI:
    the claim 5 simulation). `options` go to the families that accept them (`OPTIONS`): for
    QLACI simulation_model, resolution and the `QLACIQuery` options (see `qlaci_claims`).

    Raises:
        InputError: an option no family accepts.
    """
    sizes = list(sizes)
    options = dict(options)
    scenario = fold_legacy(scenario, options, "claim_table", LEGACY_READOUT)
    fams = families(family_names)
    bad = unknown_options(fams, options)
    if bad:
        raise InputError(f"option {bad[0]!r} is not allowed: no model family accepts it")
    rows: list = []
    evidence: list = []
    notes: dict[str, None] = {}
    details: dict[str, Any] = {}
    models = None if models is None else list(models)
    for fam in fams:
        mine = family_models(fam, models)
        if not mine:
            continue
        result = as_claims(fam.claims(sizes, mine, scenario, **family_options(fam, options)))
        rows += result.rows
        evidence += result.evidence
        notes.update(dict.fromkeys(result.notes))
        details.update(result.details)
    return ClaimTable(rows, evidence, details, list(notes), verdict_text(rows))


def verdict_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """One line per claim: which models it holds / holds only for depth / fails for."""
    lines = []
    for key in dict.fromkeys(r["key"] for r in rows):
        mine = [r for r in rows if r["key"] == key]
        claim = mine[0]["claim"]
        parts = []
        for v in VERDICTS:
            names = [
                r["model"] + (" (assumed)" if r["qram"] != "circuit" else "")
                for r in mine
                if r["verdict"] == v
            ]
            if names:
                parts.append(f"{v}: {', '.join(names)}")
        lines.append(f"{claim}: " + "; ".join(parts) + ".")
    return "\n".join(lines)
