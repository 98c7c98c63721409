"""The report's training section: both families trained at the paper's task scale, the claim
"trainable at the paper's task scale on one fault-tolerant machine", and the index block.

`verdicts.training.training_results(scenario, models)` computes the rows, their notes and
the claim rows; `training_block` renders the index section. The report writes the rows as
`training_table.*`.
"""

from collections.abc import Sequence

from qlaci_cost.analysis.training import COLUMNS
from qlaci_cost.output.index import human
from qlaci_cost.verdicts.training import SHOWN_TASKS, training_results

__all__ = [
    "AXIS",
    "COLUMNS",
    "TITLE",
    "training_block",
    "training_results",
]

TITLE = "Training: one layer trained at the task's scale, every gradient estimator"
#: The title of the claims matrix (its first word names the family of claims).
AXIS = "Training: trainable at the paper's task scale on one fault-tolerant machine"
SHOWN = (
    "family",
    "task",
    "model",
    "gradient",
    "parameters",
    "evaluations",
    "executions_per_epoch",
    "device_years",
    "test_inference_s",
    "classical_time_s",
    "valid",
)


def training_block(rows: Sequence[dict], claims: Sequence[dict], csv_name: str) -> str:
    """The index section: the cheapest and the exact estimator's rows of the first task of
    each family, and the claim verdicts with their evidence."""
    shown = [
        r
        for r in rows
        if r["task"] == SHOWN_TASKS.get(r["family"])
        and r["gradient"] in ("parameter-shift", "spsa")
    ]
    trained = " and ".join(f"{fam.upper()} on {task}" for fam, task in SHOWN_TASKS.items())
    lines = [
        f"## {TITLE}",
        "",
        f"*{trained} (one hybrid layer; the model "
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
