"""The `ideal` QRAM: the proposal's poly(log N) oracle, an assumption and labelled as one."""

from functools import cached_property

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import Bloq, BloqDocSpec, DecomposeTypeError, bloq_example
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.errors import InputError
from qlaci_cost.qram.interface import (
    QRAMInterface,
    address_bitsize,
    data_converter,
)

ASSUMPTION_NOTE = (
    "ideal QRAM: an ASSUMED oracle costing c*(log2 N)^k Toffolis and depth (the proposal's "
    "QRAM cost model); no circuit achieves it for arbitrary data"
)


def _check_option(name: str, value, minimum: int) -> None:
    """c >= 1 and k >= 0: integers (or symbols); anything else names the value."""
    if is_symbolic(value):
        return
    if type(value) is bool or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(
            f"{name}={value!r} is not allowed: the ideal model's {name} must be an integer "
            f">= {minimum}"
        )


@frozen
class IdealQRAM(QRAMInterface, Bloq):
    """A QRAM oracle whose cost is the proposal's assumption, not a circuit.

    QLACI's poly(log N) claim holds *under a QRAM cost model* in which one coherent load of all
    N words costs poly(log N). This bloq makes that assumption explicit and user-settable: one
    call costs `c * (log2 N)^k` Toffoli-class gates, Toffoli depth and total depth, no
    Cliffords, and `log2 N + b` qubits. It has no decomposition: its counts are inputs, and
    every output that uses it carries `ASSUMPTION_NOTE`. With concrete data it acts as the
    permutation |j>|t> -> |j>|t XOR data[j]> (classically and as a Cirq matrix gate), so
    circuits built on it can be simulated.

    Args:
        n_cells: N, a power of two >= 2, or a symbol.
        bits: b, bits per word.
        data: N words, or None for a size-only model.
        c: Cost coefficient (default 1).
        k: Power of log2 N (default 1).

    Registers:
        address: log2 N qubits.
        target: b qubits, XORed with data[address].

    References:
        [Quantum random access memory](https://arxiv.org/abs/0708.1879). Giovannetti, Lloyd,
        Maccone 2008. The O(log N) "activated" cost that such a cost model takes as given.
        [QRAM: a survey and critique](https://arxiv.org/abs/2305.10310). Jaques, Rattew 2023.
        Why the assumption is contested (active vs passive QRAM).

    ## Cost
    Toffoli = Toffoli depth = depth = c (log2 N)^k; qubits = log2 N + b. Assumed, not derived
    (docs/derivations/ideal.md).
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: tuple[int, ...] | None = attrs.field(default=None, converter=data_converter)
    c: SymbolicInt = attrs.field(default=1, validator=lambda _, a, v: _check_option(a.name, v, 1))
    k: SymbolicInt = attrs.field(default=1, validator=lambda _, a, v: _check_option(a.name, v, 0))

    ASSUMED_ORACLE = True
    ASSUMPTION_NOTE = ASSUMPTION_NOTE
    NOISE_RULE = "assumption"

    @property
    def cost_notes(self) -> tuple[str, ...]:
        return (ASSUMPTION_NOTE,)

    @cached_property
    def assumed_cost(self) -> SymbolicInt:
        n = address_bitsize(self.n_cells)
        value = self.c * n**self.k
        return sympy.simplify(value) if is_symbolic(value) else value

    def decompose_bloq(self):
        raise DecomposeTypeError(f"{self} is an assumed oracle with no decomposition")

    def build_call_graph(self, ssa):
        return {}

    def my_static_costs(self, cost_key):
        from qualtran.resource_counting import GateCounts, QECGatesCost

        from qlaci_cost.core.circuit_parts import static_costs

        if isinstance(cost_key, QECGatesCost):
            return GateCounts(toffoli=self.assumed_cost)
        qubits = address_bitsize(self.n_cells) + self.bits
        cost = self.assumed_cost
        return static_costs(cost_key, qubits=qubits, depth=cost, toffoli_layers=cost)

    def as_cirq_op(self, qubit_manager, address, target):
        import cirq

        if self.data is None or is_symbolic(self.n_cells, self.bits):
            raise DecomposeTypeError(f"{self} needs concrete data to act as a gate")
        n, b = int(address_bitsize(self.n_cells)), int(self.bits)
        dim = 2 ** (n + b)
        perm = np.zeros((dim, dim))
        for j in range(self.n_cells):
            for t in range(2**b):
                perm[(j << b) | (t ^ self.data[j]), (j << b) | t] = 1
        gate = cirq.MatrixGate(perm, name=f"IdealQRAM[N={self.n_cells}]")
        qubits = list(address) + list(target)
        return gate.on(*qubits), {"address": address, "target": target}

    def __str__(self):
        return f"IdealQRAM(N={self.n_cells}, b={self.bits})"


@bloq_example
def _ideal_qram_symb() -> IdealQRAM:
    N, b = sympy.symbols("N b", positive=True, integer=True)
    ideal_qram_symb = IdealQRAM(N, b)
    return ideal_qram_symb


@bloq_example
def _ideal_qram() -> IdealQRAM:
    ideal_qram = IdealQRAM(4, 2, data=(1, 3, 0, 2))
    return ideal_qram


_IDEAL_QRAM_DOC = BloqDocSpec(bloq_cls=IdealQRAM, examples=(_ideal_qram_symb, _ideal_qram))
