"""The QLAM family (`qlaci_cost.core.family`): the quantum recurrent memory under each readout
protocol.

Its models are the readout protocols (`table.PROTOCOL_NAMES`: final, every-step, weak,
final-ae, every-step-ae). Rows are `qlam.table.qlam_rows`, checks `qlam.verify.qlam_checks`
(m = 2..4 memory qubits at the sizes asked, N <= `MAX_CHECK_N`), claims
`qlam.claims.qlam_claims`. The readout (precision, delta, method), the conventions and the
physical model come from the scenario, as for every family; options name the QLAM circuit
(`config`, a `QLAMConfig`) and the union bound (`union`). QLAM has no 1/N share: a scenario
with a `rel:R` precision is refused (InputError). `qlam_precision`, `delta` and
`physical_model` are the old options, accepted for one release.
"""

from collections.abc import Iterator, Sequence
from typing import Any, Optional

from qlaci_cost.analysis.scenario import Scenario, fold_legacy
from qlaci_cost.core.family import FamilyClaims, FamilyRows
from qlaci_cost.core.verification import CheckResult
from qlaci_cost.errors import InputError
from qlaci_cost.qlam.drawing import GALLERY, drawing, drawings
from qlaci_cost.qlam.protocols import DEFAULT_CONFIG, QLAMConfig
from qlaci_cost.qlam.table import COLUMNS, LEGACY_QLAM, PROTOCOL_NAMES, parse_protocol, qlam_rows
from qlaci_cost.qlam.verify import CHECK_KINDS as _KINDS
from qlaci_cost.qlam.verify import DEFAULT_MEMORY, qlam_checks
from qlaci_cost.symbolics.symbols import N

__all__ = [
    "CHECK_KINDS",
    "COLUMNS",
    "GALLERY",
    "MAX_CHECK_N",
    "NAME",
    "OPTIONS",
    "REPORT_TABLE",
    "ROW_UNIT",
    "SELECTED_BY",
    "SYMBOLIC_LEVELS",
    "TITLE",
    "checks",
    "claims",
    "drawing",
    "drawings",
    "models",
    "rows",
    "symbolic",
]

NAME = "qlam"
#: What one row counts (index.md's exactness sentence).
ROW_UNIT = "QLAM run"
#: The report writes this family's table and its index section.
REPORT_TABLE = True
TITLE = "QLAM: a quantum recurrent memory, its readout protocols and its linear-time claim"
CHECK_KINDS: tuple[str, ...] = _KINDS
#: Each check and the generic selector that runs it too.
SELECTED_BY = {
    "qlam-counts": "counts",
    "qlam-executions": "counts",
    "qlam-state": "superposition",
    "qlam-sampling": "superposition",
    "qlam-weak": "superposition",
}
#: Largest N the checks simulate (larger sizes are reported as skipped).
MAX_CHECK_N = 16
OPTIONS: tuple[str, ...] = (
    "config",
    "qlam_precision",
    "delta",
    "union",
    "memory",
    "symbolic",
    "physical_model",
)


def models() -> tuple[str, ...]:
    """The readout protocols."""
    return PROTOCOL_NAMES


#: The bloqs `symbolic` builds by `level` (the first is the default): one run's sequence of
#: N steps and its readout, or one step.
SYMBOLIC_LEVELS: tuple[str, ...] = ("sequence", "step")


def symbolic(
    model: str, config: QLAMConfig = DEFAULT_CONFIG, level: str = "sequence", **options: Any
):
    """The size-only `QLAMSequence` (N = `symbolics.symbols.N`) one run of `model` executes.
    `time-pooled`: its longest run. `query-dependent`: the N steps with the direct readout; its
    run's readout is `QueryReadout` instead (`QLAMConfig.query_readout`, 2 m rotations more),
    which the protocol's `run` summary and the table include. `level="step"`: one `QLAMStep`
    of that sequence."""
    if level not in SYMBOLIC_LEVELS:
        allowed = ", ".join(SYMBOLIC_LEVELS)
        raise InputError(f"level {level!r} is not allowed: use one of {allowed}")
    protocol, _ = parse_protocol(model)
    if level == "step":
        return config.step(weak=protocol == "weak")
    return config.sequence(N, weak=protocol == "weak")


def _scenario(scenario: Optional[Scenario], options: dict, where: str) -> Scenario:
    scenario = fold_legacy(scenario, options, where, LEGACY_QLAM)
    if scenario.precision.kind != "abs":
        raise InputError(
            f"precision {str(scenario.precision)!r} is not allowed for QLAM: use abs:EPS (QLAM "
            "has no 1/N share of a uniform average, which rel:R resolves)"
        )
    return scenario


def rows(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Optional[Scenario] = None,
    config: QLAMConfig = DEFAULT_CONFIG,
    union: str = "none",
    symbolic: bool = False,
    **options: Any,
) -> FamilyRows:
    """`qlam.table.qlam_rows` for the protocols `models` under `scenario`."""
    scenario = _scenario(scenario, options, "qlam rows")
    table = qlam_rows(sizes, models, config, scenario, union, symbolic=symbolic)
    return FamilyRows(table.rows, table.notes)


def checks(
    sizes: Sequence[int],
    models: Sequence[str],
    kinds: Sequence[str] = CHECK_KINDS,
    memory: Sequence[int] = DEFAULT_MEMORY,
    **options: Any,
) -> Iterator[Any]:
    """`qlam.verify.qlam_checks`: its kinds named in `kinds` or selected by a selector."""
    mine = [k for k in CHECK_KINDS if k in kinds or SELECTED_BY[k] in kinds]
    if not mine:
        return
    protocols = tuple(dict.fromkeys(parse_protocol(m)[0] for m in models))
    small = [n for n in sizes if n <= MAX_CHECK_N]
    for n in sizes:
        if n > MAX_CHECK_N:
            yield CheckResult(
                "qlam", "qlam", n, True, f"N > {MAX_CHECK_N}: not simulated", skipped=True
            )
    yield from qlam_checks(small, mine, memory, protocols)


def claims(
    sizes: Sequence[int],
    models: Sequence[str],
    scenario: Optional[Scenario] = None,
    config: QLAMConfig = DEFAULT_CONFIG,
    union: str = "none",
    **options: Any,
) -> FamilyClaims:
    """`qlam.claims.qlam_claims` under `scenario`: linear time, cheaper than an SSM, richer
    memory."""
    from qlaci_cost.qlam.claims import qlam_claims

    scenario = _scenario(scenario, options, "qlam claims")
    return qlam_claims(sizes, models, scenario, config, union=union)
