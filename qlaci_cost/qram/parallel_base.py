"""Layout, helpers and the stage base class of the parallel bucket-brigade QRAM."""

import numpy as np
import sympy
from qualtran import (
    Bloq,
    BloqBuilder,
    DecomposeTypeError,
    QAny,
    Register,
)
from qualtran.bloqs.bookkeeping import Partition
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.circuit_parts import static_costs

__all__ = ["ParallelStage"]


# Layout. Bit t of word j (t = 0 the most significant, as in the target register) lives in
# bit plane t: memory and products are N b qubits, qubit t N + j. flags[j] is the router flag
# of leaf j; leaf_copies[i - 1] holds copy i of every flag (copy 0 is `flags` itself). Address
# bit k >= 1 has 2^k copies: address[k] itself and copies[2^k - k - 2 + i], i = 1 .. 2^k - 1.


def ceil_log2(x: SymbolicInt) -> SymbolicInt:
    """ceil(log2 x) for x >= 1: an int, or `ceiling(log(x, 2))` for symbolic x."""
    if is_symbolic(x):
        return sympy.ceiling(sympy.log(x, 2))
    return int(x - 1).bit_length()


def require_concrete(*sizes: SymbolicInt) -> None:
    if is_symbolic(*sizes):
        raise DecomposeTypeError(f"cannot decompose with symbolic sizes {sizes}")


def copy_slice(k: int) -> slice:
    """Where the 2^k - 1 extra copies of address bit k sit in the `copies` register."""
    start = 2**k - k - 1
    return slice(start, start + 2**k - 1)


def doubling_rounds(n_copies: int) -> list[tuple[int, int]]:
    """(source, destination) copy pairs: round r copies i -> i + 2^(r-1) for i < 2^(r-1)
    (while the destination exists); ceil(log2 n_copies) rounds."""
    pairs, half = [], 1
    while half < n_copies:
        pairs += [(i, i + half) for i in range(min(half, n_copies - half))]
        half *= 2
    return pairs


def soqs(items) -> np.ndarray:
    """A 1-d object array of soquets (also when empty)."""
    items = list(items)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _planes(n_cells: int, bits: int) -> Partition:
    # One register per plane: Qualtran 0.7.0's classical Partition of a shaped register wider
    # than 64 bits overflows (`from_bits_array`), unshaped registers are exact Python ints.
    regs = tuple(Register(f"plane{t}", QAny(n_cells)) for t in range(bits))
    return Partition(n_cells * bits, regs=regs)


def split_planes(bb: BloqBuilder, x, n_cells: int, bits: int) -> list:
    """The N b-qubit register `x` as b bit planes of N qubits."""
    return list(bb.add_t(_planes(n_cells, bits), x=x))


def join_planes(bb: BloqBuilder, planes: list, n_cells: int, bits: int):
    """Bit planes back into one N b-qubit register."""
    parts = {f"plane{t}": p for t, p in enumerate(planes)}
    return bb.add(_planes(n_cells, bits).adjoint(), **parts)


class ParallelStage(Bloq):
    """A bloq that answers `QubitCount` and the depth keys from `_closed_forms`."""

    def _closed_forms(self) -> tuple[SymbolicInt, SymbolicInt, SymbolicInt]:
        """(qubits, depth, Toffoli depth), exact for the decomposition run on its own."""
        raise NotImplementedError

    def my_static_costs(self, cost_key):
        qubits, depth, toffoli_depth = self._closed_forms()
        return static_costs(cost_key, qubits=qubits, depth=depth, toffoli_layers=toffoli_depth)


def dagger(uncompute: bool) -> str:
    return "†" if uncompute else ""
