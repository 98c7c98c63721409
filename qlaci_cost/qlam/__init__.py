"""QLAM: a quantum recurrent memory (an m-qubit hidden state updated once per token) as bloqs,
its readout protocols priced, its classical references and its claims.

Modules: `encoding` (TokenEncoding), `ansatz` (UpdateAnsatz), `readout` (DirectReadout,
WeakReadout), `step` (QLAMStep, QLAMSequence), `protocols` (step executions, runs, rounds and
totals per readout protocol), `classical` (SSM scan and exact classical simulation), `verify`
(simulation checks), `claims`, `table` and `family` (the hooks of `core.family`).
"""

from qlaci_cost.qlam.ansatz import ENTANGLERS, UpdateAnsatz
from qlaci_cost.qlam.encoding import TokenEncoding
from qlaci_cost.qlam.readout import DirectReadout, MeasureReset, WeakReadout
from qlaci_cost.qlam.step import QLAMSequence, QLAMStep

__all__ = [
    "ENTANGLERS",
    "DirectReadout",
    "MeasureReset",
    "QLAMSequence",
    "QLAMStep",
    "TokenEncoding",
    "UpdateAnsatz",
    "WeakReadout",
]
