"""The report's training section: both families trained at the paper's task scale, the claim
"trainable at the paper's task scale on one fault-tolerant machine", and the index block.

`training_results(scenario, models)` computes the rows (`qlam.training`, `qlaci.training`),
their notes and the claim rows (`analysis.training.trainable_claims`); `training_block`
renders the index section. The report writes the rows as `training_table.*`.
"""

from collections.abc import Sequence
from typing import Any

from qlaci_cost.analysis.gradients import ESTIMATORS
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.training import COLUMNS, trainable_claims
from qlaci_cost.errors import InputError
from qlaci_cost.output.index import human

__all__ = [
    "AXIS",
    "COLUMNS",
    "QLACI_TASKS",
    "QLAM_TASKS",
    "TITLE",
    "training_block",
    "training_results",
]

TITLE = "Training: one layer trained at the task's scale, every gradient estimator"
#: The title of the claims matrix (its first word names the family of claims).
AXIS = "Training: trainable at the paper's task scale on one fault-tolerant machine"
QLAM_TASKS = ("smnist", "scifar10")
QLACI_TASKS = ("smnist", "gpt2-small")
SHOWN = (
    "family", "task", "model", "gradient", "parameters", "evaluations", "executions_per_epoch",
    "device_years", "test_inference_s", "classical_time_s", "valid",
)  # fmt: skip


def training_results(
    scenario: Scenario, models: Sequence[str]
) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]]]:
    """(rows, notes, claim rows) of QLAM on its tasks and QLACI (the QRAM `models`) on its."""
    from qlaci_cost.qlaci.training import training_rows as qlaci_rows
    from qlaci_cost.qlam.training import training_rows as qlam_rows

    rows: list[dict[str, Any]] = []
    notes: dict[str, None] = {}
    for task in QLAM_TASKS:
        try:
            table = qlam_rows(task, estimators=ESTIMATORS, scenario=scenario)
        except InputError as exc:
            notes[f"QLAM training not computed under this scenario: {exc}"] = None
            break
        rows += table.rows
        notes.update(dict.fromkeys(table.notes))
    for task in QLACI_TASKS:
        table = qlaci_rows(task, list(models), ESTIMATORS, scenario=scenario)
        rows += table.rows
        notes.update(dict.fromkeys(table.notes))
    return rows, list(notes), trainable_claims(rows)


def training_block(rows: Sequence[dict], claims: Sequence[dict], csv_name: str) -> str:
    """The index section: the cheapest and the exact estimator's rows of the first task of
    each family, and the claim verdicts with their evidence."""
    first = {"qlam": QLAM_TASKS[0], "qlaci": QLACI_TASKS[-1]}
    shown = [r for r in rows if r["task"] == first[r["family"]]
             and r["gradient"] in ("parameter-shift", "spsa")]  # fmt: skip
    lines = [
        f"## {TITLE}",
        "",
        f"*QLAM on {first['qlam']} and QLACI on {first['qlaci']} (one hybrid layer; the model "
        f"has `layers` of them), parameter shift and SPSA; every task, estimator and column "
        f"is in {csv_name}. Device time: the surface-code estimate of every circuit run of "
        "the job; classical: the same layer trained by backpropagation.*",
        "",
        "| " + " | ".join(SHOWN) + " |",
        "|" + "|".join("---" for _ in SHOWN) + "|",
    ]
    for r in shown:
        lines.append("| " + " | ".join(human(c, r[c]) for c in SHOWN) + " |")
    lines += ["", "Verdicts:", ""]
    for c in claims:
        lines.append(f"- {c['model']}: **{c['verdict']}**. {c['evidence']}")
    return "\n".join(lines)
