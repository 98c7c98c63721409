"""Per-query infidelity of each QRAM model, to first order in an error rate eps per component.

One row per model and size: infidelity ~ eps x L(N), where the number of error locations L(N)
follows the model class's `NOISE_RULE` trait (`qlaci_cost.qram.interface.QRAMInterface`):

| NOISE_RULE (model) | noise model | L(N) | source |
|---|---|---|---|
| polylog-recall (bucket-brigade) | noisy routers, no correction | (log2 N)^2 | Hann [recall] |
| active-switches (fanout) | every switch tied to the address | active_switches | GLM 2008 |
| assumption (ideal) | the proposal's assumption | log2 N | assumption |
| gates (any other model) | fault-tolerant circuit | gates of the circuit | union bound |

- bucket-brigade: Hann, Lee, Girvin, Jiang, [Resilience of quantum random access memory to
  generic noise](https://arxiv.org/abs/2012.05340), PRX Quantum 2, 020311 (2021): the query
  infidelity of the bucket brigade grows only polylogarithmically in N for arbitrary error
  channels on every component (abstract: "scaling only logarithmically") [text]. The form
  used here, eps (log2 N)^2 with coefficient 1, is a recalled form
  (docs/references.md#noise) [recall]: not verified against the paper, so the row is labelled so.
- fanout: Giovannetti, Lloyd, Maccone, [Quantum random access memory](
  https://arxiv.org/abs/0708.1879) (2008): a fan-out RAM throws all N - 1 switches per query,
  each entangled with the address, so one faulty switch spoils the query: eps (N - 1), with
  N - 1 read from `FanoutQRAM.active_switches`.
- ideal: eps log2 N, one location per address bit: an assumption to match the assumed
  poly(log N) cost, not a result.
- circuits (qrom, select-swap, qroam-clean, bucket-brigade-parallel, registered models): a
  fault-tolerant circuit has no passive components (Arunachalam et al., [On the robustness of
  bucket brigade quantum RAM](https://arxiv.org/abs/1502.03450), NJP 17, 123010 (2015): with
  error correction every component is active), so each gate is an error location:
  L = Toffoli-class + Clifford + T + rotations + measurements of one query (`qram.table`),
  the first-order union bound. `circuit_rule="volume"` uses qubits x depth instead
  (every qubit at every layer a location, idling included). The same circuit bound is given for
  every model with a circuit in `circuit_infidelity`, bucket-brigade and fanout included.

First order only: eps x L can exceed 1, where the query has failed with near certainty; the
reported infidelity is then capped at 1 and `capped` is set.
"""

from collections.abc import Iterable
from fractions import Fraction
from typing import Any, NamedTuple, Optional

from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS, Conventions
from qlaci_cost.core.summary import evaluate
from qlaci_cost.errors import InputError
from qlaci_cost.qram import MODELS, model_class, traits
from qlaci_cost.qram.interface import address_bitsize
from qlaci_cost.qram.table import qram_rows, symbolic_summary
from qlaci_cost.symbolics.exact import fraction
from qlaci_cost.symbolics.scaling import growth

__all__ = [
    "CIRCUIT_RULES",
    "COLUMNS",
    "NOISE_RULES",
    "NoiseTable",
    "circuit_locations",
    "noise_rule",
    "noise_table",
]

COLUMNS: tuple[str, ...] = (
    "model",
    "N",
    "noise_model",
    "formula",
    "scaling",
    "locations",
    "infidelity",
    "capped",
    "circuit_infidelity",
    "source",
)
CIRCUIT_RULES = ("gates", "volume")
#: Values of the `NOISE_RULE` model trait this table knows.
NOISE_RULES = ("gates", "active-switches", "polylog-recall", "assumption")

HANN = (
    "Hann, Lee, Girvin, Jiang, PRX Quantum 2, 020311 (2021), arXiv:2012.05340: polylog N for "
    "arbitrary channels on every router [text]; the form eps (log2 N)^2 is recalled, not "
    "verified [recall]"
)
GLM = (
    "Giovannetti, Lloyd, Maccone, PRL 100, 160501 (2008), arXiv:0708.1879: fan-out RAM throws "
    "all N - 1 switches per query; ~eps N also in Hann et al. 2021 [2nd]; count from "
    "FanoutQRAM.active_switches"
)
ASSUMED = "assumption (the proposal's QRAM cost model): one location per address bit"
CIRCUIT = (
    "first-order union bound over the fault-tolerant circuit's {what} (this toolkit's counts); "
    "every component active under error correction (Arunachalam et al., NJP 17, 123010 "
    "(2015), arXiv:1502.03450)"
)
_WHAT = {
    "gates": "gate locations (Toffoli-class + Clifford + T + rotations + measurements)",
    "volume": "qubit-layer locations (qubits x depth)",
}


class NoiseTable(NamedTuple):
    """Rows (dicts keyed by `COLUMNS`) and the notes to print with them."""

    rows: list
    notes: list


def _eps(eps: Any) -> Fraction:
    """eps as an exact rational from an int, float (its shortest repr), str or Fraction."""
    try:
        value = fraction(eps, "eps")
    except ValueError:
        value = None
    if isinstance(eps, bool) or value is None or not 0 < value < 1:
        raise InputError(f"eps={eps!r} is not allowed: the error rate must be in (0, 1)")
    return value


def circuit_locations(row: dict, conventions: Conventions, rule: str = "gates") -> int:
    """Error locations of one query from a `qram_rows` row (exact int).

    `gates`: Toffoli-class + Clifford + bare T + rotations + measurements, the bare T gates
    being t_count - T-per-Toffoli x Toffoli - T-per-rotation x rotations. `volume`: qubits x
    depth.
    """
    if rule == "volume":
        return row["qubits"] * row["depth"]
    t_rot = conventions.t_per_rotation
    bare_t = row["t_count"] - conventions.t_per_toffoli * row["toffoli"] - t_rot * row["rotations"]
    return row["toffoli"] + row["clifford"] + bare_t + row["rotations"] + row["measurements"]


def _circuit_scaling(model: str, conventions: Conventions, rule: str, bits: int) -> str:
    """Leading order of the circuit's locations, from the model's symbolic counts at b = bits."""
    summary = symbolic_summary(model, conventions)
    metrics = ("qubits", "toffoli", "t_count", "clifford", "rotations", "measurements", "depth")
    row = {m: evaluate(getattr(summary, m), {"b": bits}) for m in metrics}
    try:
        return growth(circuit_locations(row, conventions, rule)).text()
    except ValueError:
        return "see locations"


_SCALING = {"polylog-recall": "O(log^2 N)", "active-switches": "O(N)", "assumption": "O(log N)"}


def noise_rule(model: str) -> str:
    """The model's `NOISE_RULE` trait, checked against `NOISE_RULES`."""
    rule = traits(model).NOISE_RULE
    if rule not in NOISE_RULES:
        allowed = ", ".join(NOISE_RULES)
        raise InputError(f"{model}: NOISE_RULE {rule!r} is not allowed: use one of {allowed}")
    return rule


def _capped(x: Fraction) -> tuple[float, bool]:
    return (1.0, True) if x > 1 else (float(x), False)


def noise_table(
    models: Iterable[str] = MODELS,
    sizes: Iterable[int] = tuple(2**k for k in range(4, 41)),
    eps: Any = 1e-3,
    bits: int = 4,
    conventions: Conventions = DEFAULT_CONVENTIONS,
    circuit_rule: str = "gates",
) -> NoiseTable:
    """First-order per-query infidelity eps x L(N) of every model at every (padded) size.

    Args:
        models: QRAM model names.
        sizes: Numbers of cells N (padded to powers of two by `qram_rows`).
        eps: Error probability per location (router per step, switch, or gate), in (0, 1).
        bits: Bits per word for the circuit counts (default 4: the word (d_k + d_v) b of the
            default QLACI query).
        conventions: Counting conventions (for the bare T gates in `circuit_locations`).
        circuit_rule: `gates` or `volume` (see `circuit_locations`).

    Returns:
        `NoiseTable`: rows with model, N, noise_model, formula, locations (exact int L(N)),
        scaling (leading order of L(N); for circuits from the model's symbolic counts),
        infidelity (float, min(1, eps x L)), capped (eps x L > 1), circuit_infidelity (the
        circuit rule's value for models with a circuit, else None) and source; notes.
    """
    e = _eps(eps)
    if circuit_rule not in CIRCUIT_RULES:
        allowed = ", ".join(CIRCUIT_RULES)
        raise InputError(f"circuit_rule {circuit_rule!r} is not allowed: use one of {allowed}")
    models = list(models)
    table = qram_rows(models, sizes, bits, conventions)
    notes = dict.fromkeys(table.notes)
    scaling = {
        m: _SCALING.get(noise_rule(m)) or _circuit_scaling(m, conventions, circuit_rule, bits)
        for m in models
    }
    rows = [
        _noise_row(row, e, bits, conventions, circuit_rule, scaling[row["model"]])
        for row in table.rows
    ]
    _add_notes(notes, models, e, bits, circuit_rule, any(r["capped"] for r in rows))
    return NoiseTable(rows, list(notes))


def _noise_row(row: dict, e, bits: int, conventions, circuit_rule: str, scaling) -> dict:
    """One model and size: its error locations L(N) by the model's noise rule, eps x L(N)."""
    model, n = row["model"], row["N"]
    rule = noise_rule(model)
    circuit: Optional[int] = None
    if rule != "assumption":
        circuit = circuit_locations(row, conventions, circuit_rule)
    if rule == "polylog-recall":
        locations, formula, source = address_bitsize(n) ** 2, "eps (log2 N)^2", HANN
        kind = "noisy routers, no error correction"
    elif rule == "active-switches":
        locations = int(model_class(model)(n, bits).active_switches)
        formula, kind, source = "eps (N - 1)", "all switches active", GLM
    elif rule == "assumption":
        locations, formula, kind, source = address_bitsize(n), "eps log2 N", "assumed", ASSUMED
    else:
        locations, kind = circuit, "fault-tolerant circuit"
        formula = "eps x gates" if circuit_rule == "gates" else "eps x qubits x depth"
        source = CIRCUIT.format(what=_WHAT[circuit_rule])
    infidelity, capped = _capped(e * locations)
    return {
        "model": model,
        "N": n,
        "noise_model": kind,
        "formula": formula,
        "scaling": scaling,
        "locations": int(locations),
        "infidelity": infidelity,
        "capped": capped,
        "circuit_infidelity": None if circuit is None else _capped(e * circuit)[0],
        "source": source,
    }


def _add_notes(notes: dict, models, e, bits: int, circuit_rule: str, capped_any: bool) -> None:
    """The eps and circuit rule used, the capped rows, the recalled and assumed forms."""
    notes[
        f"eps = {float(e):g} per location (router per step, switch, or gate); first-order "
        f"estimates eps x L(N); circuit_infidelity uses the {_WHAT[circuit_rule]}, bits = {bits}"
    ] = None
    if capped_any:
        notes[
            "capped at 1: eps x L(N) > 1, the first-order estimate is meaningless there and the "
            "query fails with near certainty"
        ] = None
    recalled = [m for m in models if noise_rule(m) == "polylog-recall"]
    if recalled:
        names = ", ".join(recalled)
        notes[f"{names}: the eps (log2 N)^2 form is recalled [recall], not verified"] = None
    assumed = [m for m in models if noise_rule(m) == "assumption"]
    if assumed:
        notes[f"{', '.join(assumed)}: eps log2 N is an assumption, not a derived infidelity"] = None
