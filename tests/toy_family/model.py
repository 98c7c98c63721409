"""`AndLadder`: the AND of n control bits XORed into a target, by a ladder of Toffolis."""

from functools import cached_property

import numpy as np
from attrs import frozen
from qualtran import Bloq, BloqBuilder, DecomposeTypeError, QBit, Register, Signature
from qualtran.bloqs.basic_gates import Toffoli
from qualtran.symbolics import SymbolicInt, is_symbolic

__all__ = ["AndLadder", "ladder_qubits", "ladder_toffoli"]


def ladder_toffoli(n: SymbolicInt) -> SymbolicInt:
    """Toffolis of `AndLadder(n)`: n - 2 to compute the partial ANDs, one into the target,
    n - 2 to uncompute them."""
    return 2 * n - 3


def ladder_qubits(n: SymbolicInt) -> SymbolicInt:
    """Peak qubits of `AndLadder(n)`: n controls, the target and n - 2 partial ANDs."""
    return 2 * n - 1


@frozen
class AndLadder(Bloq):
    """target ^= c_0 AND c_1 AND ... AND c_{n-1}, with n - 2 clean ancillas.

    Ancilla a_0 = c_0 AND c_1, a_i = a_{i-1} AND c_{i+1}; the last Toffoli writes
    a_{n-3} AND c_{n-1} into the target, then the ancillas are uncomputed in reverse.

    Args:
        n: Number of controls, an integer >= 2 or a symbol.

    Registers:
        ctrl: n qubits (unchanged).
        target: one qubit, XORed with the AND of the controls.

    ## Cost
    Exactly 2 n - 3 Toffolis and 2 n - 1 qubits at the peak (`ladder_toffoli`,
    `ladder_qubits`).
    """

    n: SymbolicInt

    def __attrs_post_init__(self):
        if not is_symbolic(self.n) and self.n < 2:
            raise ValueError(f"AndLadder needs n >= 2 controls, got {self.n}")

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("ctrl", QBit(), shape=(self.n,)), Register("target", QBit())])

    def build_composite_bloq(self, bb: BloqBuilder, ctrl, target):
        if is_symbolic(self.n):
            raise DecomposeTypeError(f"cannot decompose {self} with symbolic n")
        ctrl = list(ctrl)
        partial = [ctrl[0]]  # partial[i] holds c_0 AND ... AND c_i (an ancilla for i >= 1)
        for i in range(1, self.n - 1):
            (partial[i - 1], ctrl[i]), a = bb.add(
                Toffoli(), ctrl=[partial[i - 1], ctrl[i]], target=bb.allocate(dtype=QBit())
            )
            partial.append(a)
        (partial[-1], ctrl[-1]), target = bb.add(
            Toffoli(), ctrl=[partial[-1], ctrl[-1]], target=target
        )
        for i in reversed(range(1, self.n - 1)):  # uncompute the partial ANDs
            (partial[i - 1], ctrl[i]), a = bb.add(
                Toffoli(), ctrl=[partial[i - 1], ctrl[i]], target=partial[i]
            )
            bb.free(a)
        ctrl[0] = partial[0]
        return {"ctrl": np.array(ctrl), "target": target}

    def build_call_graph(self, ssa):
        return {Toffoli(): ladder_toffoli(self.n)}

    def on_classical_vals(self, ctrl, target):
        return {"ctrl": ctrl, "target": target ^ int(np.all(ctrl == 1))}
