"""The training verdict: every trainable family trained at its tasks' scale, every gradient
estimator, and the claim "trainable at the paper's task scale on one fault-tolerant machine"
(`analysis.training.trainable_claims`).

QLAM is trained on its sequence tasks (`qlam.training`), QLACI (one hybrid layer per QRAM
model) on its (`qlaci.training`). `SHOWN_TASKS` is the task of each family the report's
index shows; the table holds every task.
"""

from collections.abc import Sequence
from typing import Any

from qlaci_cost.analysis.gradients import ESTIMATORS
from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.analysis.training import trainable_claims
from qlaci_cost.errors import InputError

__all__ = ["QLACI_TASKS", "QLAM_TASKS", "SHOWN_TASKS", "training_results"]

QLAM_TASKS = ("smnist", "scifar10")
QLACI_TASKS = ("smnist", "gpt2-small")
#: The task of each family (value of the rows' `family`) the report's index shows.
SHOWN_TASKS = {"qlam": QLAM_TASKS[0], "qlaci": QLACI_TASKS[-1]}


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
