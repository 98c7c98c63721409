"""Stage bloqs of the parallel bucket-brigade QRAM (`bucket_brigade_parallel`)."""

from functools import cached_property
from typing import Optional

import attrs
import numpy as np
import sympy
from attrs import frozen
from qualtran import (
    Bloq,
    BloqBuilder,
    DecomposeTypeError,
    QAny,
    QBit,
    QUInt,
    Register,
    Side,
    Signature,
)
from qualtran.bloqs.basic_gates import CNOT, TwoBitCSwap, XGate
from qualtran.bloqs.bookkeeping import Partition
from qualtran.bloqs.mcmt import And
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.depth import static_depth
from qlaci_cost.qram.interface import (
    address_bitsize,
    data_converter,
)

__all__ = [
    "AddressFanout",
    "AndLayer",
    "CopyTree",
    "LeafAnd",
    "MemoryWrite",
    "ParityAccumulate",
    "ParityTree",
    "PlaneWrite",
    "RouterLevel",
    "RouterRoot",
    "RouterTree",
    "TransversalCNOT",
]

# Layout. Bit t of word j (t = 0 the most significant, as in the target register) lives in
# bit plane t: memory and products are N b qubits, qubit t N + j. flags[j] is the router flag
# of leaf j; leaf_copies[i - 1] holds copy i of every flag (copy 0 is `flags` itself). Address
# bit k >= 1 has 2^k copies: address[k] itself and copies[2^k - k - 2 + i], i = 1 .. 2^k - 1.


def _ceil_log2(x: SymbolicInt) -> SymbolicInt:
    """ceil(log2 x) for x >= 1: an int, or `ceiling(log(x, 2))` for symbolic x."""
    if is_symbolic(x):
        return sympy.ceiling(sympy.log(x, 2))
    return int(x - 1).bit_length()


def _concrete(*sizes: SymbolicInt) -> None:
    if is_symbolic(*sizes):
        raise DecomposeTypeError(f"cannot decompose with symbolic sizes {sizes}")


def _copy_slice(k: int) -> slice:
    """Where the 2^k - 1 extra copies of address bit k sit in the `copies` register."""
    start = 2**k - k - 1
    return slice(start, start + 2**k - 1)


def _doubling_rounds(n_copies: int) -> list[tuple[int, int]]:
    """(source, destination) copy pairs: round r copies i -> i + 2^(r-1) for i < 2^(r-1)
    (while the destination exists); ceil(log2 n_copies) rounds."""
    pairs, half = [], 1
    while half < n_copies:
        pairs += [(i, i + half) for i in range(min(half, n_copies - half))]
        half *= 2
    return pairs


def _soqs(items) -> np.ndarray:
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


def _split_planes(bb: BloqBuilder, x, n_cells: int, bits: int) -> list:
    """The N b-qubit register `x` as b bit planes of N qubits."""
    return list(bb.add_t(_planes(n_cells, bits), x=x))


def _join_planes(bb: BloqBuilder, planes: list, n_cells: int, bits: int):
    """Bit planes back into one N b-qubit register."""
    parts = {f"plane{t}": p for t, p in enumerate(planes)}
    return bb.add(_planes(n_cells, bits).adjoint(), **parts)


class _Stage(Bloq):
    """A bloq that answers `QubitCount` and the depth keys from `_closed_forms`."""

    def _closed_forms(self) -> tuple[SymbolicInt, SymbolicInt, SymbolicInt]:
        """(qubits, depth, Toffoli depth), exact for the decomposition run on its own."""
        raise NotImplementedError

    def my_static_costs(self, cost_key):
        from qualtran.resource_counting import QubitCount

        qubits, depth, toffoli_depth = self._closed_forms()
        if isinstance(cost_key, QubitCount):
            return qubits
        return static_depth(cost_key, depth=depth, toffoli_depth=toffoli_depth)


def _dagger(uncompute: bool) -> str:
    return "†" if uncompute else ""


@frozen
class TransversalCNOT(_Stage):
    """target[i] ^= ctrl[i] for i < width: one layer of CNOTs.

    Registers:
        ctrl: width qubits. target: width qubits.

    ## Cost
    Clifford = width, depth 1, qubits 2 width. Exact.
    """

    width: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("ctrl", QAny(self.width)), Register("target", QAny(self.width))])

    def build_composite_bloq(self, bb: BloqBuilder, ctrl, target):
        _concrete(self.width)
        cs, ts = bb.split(ctrl), bb.split(target)
        for i in range(self.width):
            cs[i], ts[i] = bb.add(CNOT(), ctrl=cs[i], target=ts[i])
        return {"ctrl": bb.join(cs), "target": bb.join(ts)}

    def build_call_graph(self, ssa):
        return {CNOT(): self.width}

    def _closed_forms(self):
        return 2 * self.width, 1, 0

    def adjoint(self) -> "TransversalCNOT":
        return self


@frozen
class CopyTree(_Stage):
    """Copy a width-w register into n_copies - 1 fresh registers with a CNOT doubling tree.

    Copy 0 is `src`; round r (r = 1 .. ceil(log2 m)) copies i -> i + 2^(r-1) for every
    i < 2^(r-1) whose destination exists, as one CNOT (w = 1) or `TransversalCNOT(w)`.

    Args:
        n_copies: m >= 1, copies including the source. width: w.
        uncompute: the reversed circuit (copies -> |0>).

    Registers:
        src: w qubits. copies: m - 1 registers of w qubits.

    ## Cost
    Clifford = (m - 1) w, depth ceil(log2 m), qubits m w. Exact.
    """

    n_copies: SymbolicInt
    width: SymbolicInt = 1
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        dtype = QBit() if self.width == 1 else QAny(self.width)
        return Signature(
            [Register("src", dtype), Register("copies", dtype, shape=(self.n_copies - 1,))]
        )

    def build_composite_bloq(self, bb: BloqBuilder, src, copies):
        _concrete(self.n_copies, self.width)
        regs = [src] + list(copies)
        gate = CNOT() if self.width == 1 else TransversalCNOT(self.width)
        pairs = _doubling_rounds(self.n_copies)
        for c, t in pairs[::-1] if self.uncompute else pairs:
            regs[c], regs[t] = bb.add(gate, ctrl=regs[c], target=regs[t])
        return {"src": regs[0], "copies": _soqs(regs[1:])}

    def build_call_graph(self, ssa):
        if self.width == 1:
            return {CNOT(): self.n_copies - 1}
        return {TransversalCNOT(self.width): self.n_copies - 1}

    def _closed_forms(self):
        return self.n_copies * self.width, _ceil_log2(self.n_copies), 0

    def adjoint(self) -> "CopyTree":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"CopyTree{_dagger(self.uncompute)}(m={self.n_copies}, w={self.width})"


@frozen
class AddressFanout(_Stage):
    """Copy address bit a_k into 2^k copies for k = 1 .. n-1 (`CopyTree` each, in parallel).

    Args:
        n_cells: N = 2^n. uncompute: the reversed circuit (copies -> |0>).

    Registers:
        address: n qubits. copies: N - n - 1 qubits, |0> <-> copies of a_1 .. a_(n-1).

    ## Cost
    Clifford = sum_(k=1)^(n-1) (2^k - 1) = N - n - 1 CNOTs, depth n - 1 (a_(n-1) needs n - 1
    rounds), qubits N - 1. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        n = address_bitsize(self.n_cells)
        return Signature(
            [
                Register("address", QUInt(n)),
                Register("copies", QBit(), shape=(self.n_cells - n - 1,)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, address, copies):
        _concrete(self.n_cells)
        n = address_bitsize(self.n_cells)
        a, copies = bb.split(address), np.array(copies)
        for k in range(1, n):
            tree = CopyTree(2**k, 1, self.uncompute)
            a[k], copies[_copy_slice(k)] = bb.add(tree, src=a[k], copies=copies[_copy_slice(k)])
        return {"address": bb.join(a, dtype=QUInt(n)), "copies": copies}

    def build_call_graph(self, ssa):
        # sum_{k=1}^{n-1} (2^k - 1) = (2^n - 2) - (n - 1) CNOTs.
        return {CNOT(): self.n_cells - address_bitsize(self.n_cells) - 1}

    def _closed_forms(self):
        return self.n_cells - 1, address_bitsize(self.n_cells) - 1, 0

    def adjoint(self) -> "AddressFanout":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"AddressFanout{_dagger(self.uncompute)}(N={self.n_cells})"


@frozen
class RouterRoot(_Stage):
    """Level 0 -> 1 of the router tree by Cliffords: flags[N/2] = a_0, flags[0] = NOT a_0.

    X on flags[0] and CNOT a_0 -> flags[N/2] (one layer), then CNOT flags[N/2] -> flags[0].

    Registers:
        a0: the address' most significant bit. flags: N qubits, |0> on input.

    ## Cost
    Clifford 3, depth 2, qubits N + 1. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("a0", QBit()), Register("flags", QAny(self.n_cells))])

    def build_composite_bloq(self, bb: BloqBuilder, a0, flags):
        _concrete(self.n_cells)
        f, half = bb.split(flags), self.n_cells // 2
        ops = ["x", "copy", "not"]
        for op in ops[::-1] if self.uncompute else ops:
            if op == "x":
                f[0] = bb.add(XGate(), q=f[0])
            elif op == "copy":
                a0, f[half] = bb.add(CNOT(), ctrl=a0, target=f[half])
            else:
                f[half], f[0] = bb.add(CNOT(), ctrl=f[half], target=f[0])
        return {"a0": a0, "flags": bb.join(f)}

    def build_call_graph(self, ssa):
        return {XGate(): 1, CNOT(): 2}

    def _closed_forms(self):
        return self.n_cells + 1, 2, 0

    def adjoint(self) -> "RouterRoot":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"RouterRoot{_dagger(self.uncompute)}(N={self.n_cells})"


@frozen
class RouterLevel(_Stage):
    """Level k -> k + 1 of the router tree: 2^k CSWAPs on distinct qubits, one layer.

    Node i of level k lives on flags[i 2^(n-k)]; `TwoBitCSwap` controlled on ctrls[i] (copy i
    of a_k) swaps it with its fresh right child flags[(2i + 1) 2^(n-k-1)]. Its own inverse.

    Args:
        n_cells: N = 2^n. level: k, 1 <= k <= n - 1.

    Registers:
        ctrls: 2^k copies of a_k. flags: N qubits.

    ## Cost
    Toffoli 2^k, Toffoli depth 1, depth 1, qubits N + 2^k. Exact.
    """

    n_cells: SymbolicInt
    level: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [
                Register("ctrls", QBit(), shape=(2**self.level,)),
                Register("flags", QAny(self.n_cells)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, ctrls, flags):
        _concrete(self.n_cells, self.level)
        n, k = address_bitsize(self.n_cells), self.level
        f, ctrls = bb.split(flags), np.array(ctrls)
        for i in range(2**k):
            x, y = i << (n - k), (2 * i + 1) << (n - k - 1)
            ctrls[i], f[x], f[y] = bb.add(TwoBitCSwap(), ctrl=ctrls[i], x=f[x], y=f[y])
        return {"ctrls": ctrls, "flags": bb.join(f)}

    def build_call_graph(self, ssa):
        return {TwoBitCSwap(): 2**self.level}

    def _closed_forms(self):
        return self.n_cells + 2**self.level, 1, 1

    def adjoint(self) -> "RouterLevel":
        return self


@frozen
class RouterTree(_Stage):
    """The bucket-brigade router tree as a one-hot flag register: flags[j] = [address == j].

    `RouterRoot`, then `RouterLevel` k = 1 .. n-1, whose CSWAPs take their controls from
    distinct copies of a_k (`AddressFanout`): one Toffoli layer per level.

    Args:
        n_cells: N = 2^n. uncompute: the reversed circuit (flags -> |0>).

    Registers:
        address: n qubits. copies: N - n - 1 address copies. flags: N qubits.

    ## Cost
    Toffoli = sum_(k=1)^(n-1) 2^k = N - 2 CSWAPs, Clifford 3, Toffoli depth n - 1,
    depth n + 1, qubits 2N - 1. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [*AddressFanout(self.n_cells).signature, Register("flags", QAny(self.n_cells))]
        )

    def build_composite_bloq(self, bb: BloqBuilder, address, copies, flags):
        _concrete(self.n_cells)
        n = address_bitsize(self.n_cells)
        a, copies = bb.split(address), np.array(copies)
        steps = list(range(n))  # 0: the root, k >= 1: level k
        for k in steps[::-1] if self.uncompute else steps:
            if k == 0:
                root = RouterRoot(self.n_cells, self.uncompute)
                a[0], flags = bb.add(root, a0=a[0], flags=flags)
                continue
            ctrls = np.array([a[k], *copies[_copy_slice(k)]])
            ctrls, flags = bb.add(RouterLevel(self.n_cells, k), ctrls=ctrls, flags=flags)
            a[k], copies[_copy_slice(k)] = ctrls[0], ctrls[1:]
        return {"address": bb.join(a, dtype=QUInt(n)), "copies": copies, "flags": flags}

    def build_call_graph(self, ssa):
        # Levels 1 .. n-1: N - 2 CSWAPs; the root: an X and 2 CNOTs.
        return {TwoBitCSwap(): self.n_cells - 2, XGate(): 1, CNOT(): 2}

    def _closed_forms(self):
        n = address_bitsize(self.n_cells)
        return 2 * self.n_cells - 1, n + 1, n - 1

    def adjoint(self) -> "RouterTree":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"RouterTree{_dagger(self.uncompute)}(N={self.n_cells})"


@frozen
class AndLayer(_Stage):
    """products[j] = And(flags[j], memory[j]) for every j, one layer; or, with
    `uncompute=True`, `And(uncompute=True)` (X measurement and a classically controlled CZ,
    no Toffoli) on every product.

    Registers:
        flags: N. memory: N. products [right; left if uncompute]: N.

    ## Cost
    Compute: Toffoli N, Toffoli depth 1. Uncompute: measurements N, Clifford N, Toffoli depth 0.
    Depth 1, qubits 3N. Exact.
    """

    n_cells: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        side = Side.LEFT if self.uncompute else Side.RIGHT
        return Signature(
            [
                Register("flags", QAny(self.n_cells)),
                Register("memory", QAny(self.n_cells)),
                Register("products", QAny(self.n_cells), side=side),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, flags, memory, products=None):
        _concrete(self.n_cells)
        f, m = bb.split(flags), bb.split(memory)
        p = bb.split(products) if self.uncompute else np.empty(self.n_cells, dtype=object)
        for j in range(self.n_cells):
            if self.uncompute:
                f[j], m[j] = bb.add(And(uncompute=True), ctrl=np.array([f[j], m[j]]), target=p[j])
            else:
                (f[j], m[j]), p[j] = bb.add(And(), ctrl=np.array([f[j], m[j]]))
        out = {"flags": bb.join(f), "memory": bb.join(m)}
        if not self.uncompute:
            out["products"] = bb.join(p)
        return out

    def build_call_graph(self, ssa):
        return {And(uncompute=self.uncompute): self.n_cells}

    def _closed_forms(self):
        return 3 * self.n_cells, 1, 0 if self.uncompute else 1

    def adjoint(self) -> "AndLayer":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"AndLayer{_dagger(self.uncompute)}(N={self.n_cells})"


@frozen
class LeafAnd(_Stage):
    """All N b products flag_j AND memory_(j,t) at once: an `AndLayer` per bit plane t, on
    copy t of the flags. The products leave as one N b register, so Qualtran's sequential
    qubit count sees them all alive together, as they are in the parallel schedule.

    Args:
        n_cells: N. bits: b. uncompute: measure the products away.

    Registers:
        flags: N. leaf_copies: b - 1 registers of N. memory: N b.
        products [right; left if uncompute]: N b.

    ## Cost
    b `AndLayer`s: Toffoli N b (compute) or measurements N b and Clifford N b (uncompute);
    depth 1; Toffoli depth 1 (compute) or 0; qubits 3 N b. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    uncompute: bool = False

    @cached_property
    def signature(self) -> Signature:
        big, nb = self.n_cells, self.n_cells * self.bits
        side = Side.LEFT if self.uncompute else Side.RIGHT
        return Signature(
            [
                Register("flags", QAny(big)),
                Register("leaf_copies", QAny(big), shape=(self.bits - 1,)),
                Register("memory", QAny(nb)),
                Register("products", QAny(nb), side=side),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, flags, leaf_copies, memory, products=None):
        _concrete(self.n_cells, self.bits)
        big, b = self.n_cells, self.bits
        ctrl = [flags] + list(leaf_copies)
        mem = _split_planes(bb, memory, big, b)
        prod = _split_planes(bb, products, big, b) if self.uncompute else [None] * b
        layer = AndLayer(self.n_cells, self.uncompute)
        for t in range(self.bits):
            if self.uncompute:
                ctrl[t], mem[t] = bb.add(layer, flags=ctrl[t], memory=mem[t], products=prod[t])
            else:
                ctrl[t], mem[t], prod[t] = bb.add(layer, flags=ctrl[t], memory=mem[t])
        out = {
            "flags": ctrl[0],
            "leaf_copies": _soqs(ctrl[1:]),
            "memory": _join_planes(bb, mem, big, b),
        }
        if not self.uncompute:
            out["products"] = _join_planes(bb, prod, big, b)
        return out

    def build_call_graph(self, ssa):
        return {AndLayer(self.n_cells, self.uncompute): self.bits}

    def _closed_forms(self):
        return 3 * self.n_cells * self.bits, 1, 0 if self.uncompute else 1

    def adjoint(self) -> "LeafAnd":
        return attrs.evolve(self, uncompute=not self.uncompute)

    def __str__(self):
        return f"LeafAnd{_dagger(self.uncompute)}(N={self.n_cells}, b={self.bits})"


@frozen
class ParityTree(_Stage):
    """target ^= XOR_j products[j] with an in-place CNOT tree, undone afterwards.

    Rounds r = 1 .. n apply p_j ^= p_(j + 2^(r-1)) for j = 0 mod 2^r (p_0 ends with the
    parity), one CNOT p_0 -> target, then rounds n .. 1 again, which restores every product.
    Its own inverse.

    Registers:
        products: N qubits. target: 1 qubit.

    ## Cost
    Clifford = 2 (N - 1) + 1 = 2N - 1 CNOTs, depth 2n + 1, qubits N + 1. Exact.
    """

    n_cells: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("products", QAny(self.n_cells)), Register("target", QBit())])

    def build_composite_bloq(self, bb: BloqBuilder, products, target):
        _concrete(self.n_cells)
        p = bb.split(products)
        tree, half = [], 1
        while half < self.n_cells:
            tree += [(j + half, j) for j in range(0, self.n_cells, 2 * half)]
            half *= 2
        for c, t in tree:
            p[c], p[t] = bb.add(CNOT(), ctrl=p[c], target=p[t])
        p[0], target = bb.add(CNOT(), ctrl=p[0], target=target)
        for c, t in tree[::-1]:
            p[c], p[t] = bb.add(CNOT(), ctrl=p[c], target=p[t])
        return {"products": bb.join(p), "target": target}

    def build_call_graph(self, ssa):
        # N - 1 CNOTs up the tree, 1 into the target, N - 1 to undo the tree.
        return {CNOT(): 2 * self.n_cells - 1}

    def _closed_forms(self):
        return self.n_cells + 1, 2 * address_bitsize(self.n_cells) + 1, 0

    def adjoint(self) -> "ParityTree":
        return self


@frozen
class ParityAccumulate(_Stage):
    """target[t] ^= parity of bit plane t of the products, a `ParityTree` per t in parallel.

    Registers:
        products: N b qubits. target: b qubits.

    ## Cost
    Clifford = b (2N - 1), depth 2n + 1, qubits N b + b. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt

    @cached_property
    def signature(self) -> Signature:
        return Signature(
            [
                Register("products", QAny(self.n_cells * self.bits)),
                Register("target", QUInt(self.bits)),
            ]
        )

    def build_composite_bloq(self, bb: BloqBuilder, products, target):
        _concrete(self.n_cells, self.bits)
        p = _split_planes(bb, products, self.n_cells, self.bits)
        tgt = bb.split(target)
        for t in range(self.bits):
            p[t], tgt[t] = bb.add(ParityTree(self.n_cells), products=p[t], target=tgt[t])
        return {
            "products": _join_planes(bb, p, self.n_cells, self.bits),
            "target": bb.join(tgt, dtype=QUInt(self.bits)),
        }

    def build_call_graph(self, ssa):
        return {ParityTree(self.n_cells): self.bits}

    def _closed_forms(self):
        n = address_bitsize(self.n_cells)
        return (self.n_cells + 1) * self.bits, 2 * n + 1, 0

    def adjoint(self) -> "ParityAccumulate":
        return self


@frozen
class PlaneWrite(_Stage):
    """X on the cells of one bit plane whose data bit is 1 (`pattern`; None: every cell).

    Registers:
        plane: N qubits.

    ## Cost
    Clifford = number of ones (N if `pattern` is None), depth 1 (0 with no ones), qubits N.
    Exact.
    """

    n_cells: SymbolicInt
    pattern: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("plane", QAny(self.n_cells))])

    @cached_property
    def ones(self) -> SymbolicInt:
        return self.n_cells if self.pattern is None else sum(self.pattern)

    def build_composite_bloq(self, bb: BloqBuilder, plane):
        _concrete(self.n_cells)
        if self.pattern is None:
            raise DecomposeTypeError(f"{self} needs a concrete pattern")
        qs = bb.split(plane)
        for j, bit in enumerate(self.pattern):
            if bit:
                qs[j] = bb.add(XGate(), q=qs[j])
        return {"plane": bb.join(qs)}

    def build_call_graph(self, ssa):
        return {XGate(): self.ones}

    def _closed_forms(self):
        return self.n_cells, 1 if (self.pattern is None or self.ones) else 0, 0

    def adjoint(self) -> "PlaneWrite":
        return self


@frozen
class MemoryWrite(_Stage):
    """Write (or, applied again, clear) the words into N b memory qubits: a `PlaneWrite` per
    bit plane t with pattern (bit t of data[j])_j; None: the worst case, every bit 1.

    Registers:
        memory: N b qubits (bit plane t at t N .. t N + N - 1).

    ## Cost
    Clifford = number of data bits equal to 1 (worst case N b), depth 1 (0 when every word is
    0), qubits N b. Exact.
    """

    n_cells: SymbolicInt
    bits: SymbolicInt
    data: Optional[tuple[int, ...]] = attrs.field(default=None, converter=data_converter)

    @cached_property
    def signature(self) -> Signature:
        return Signature([Register("memory", QAny(self.n_cells * self.bits))])

    def plane_writes(self) -> list[PlaneWrite]:
        """The `PlaneWrite` of each bit plane (concrete data only)."""
        b = self.bits
        return [
            PlaneWrite(self.n_cells, tuple((w >> (b - 1 - t)) & 1 for w in self.data))
            for t in range(b)
        ]

    def build_composite_bloq(self, bb: BloqBuilder, memory):
        _concrete(self.n_cells, self.bits)
        if self.data is None:
            raise DecomposeTypeError(f"{self} needs concrete data")
        p = _split_planes(bb, memory, self.n_cells, self.bits)
        for t, write in enumerate(self.plane_writes()):
            p[t] = bb.add(write, plane=p[t])
        return {"memory": _join_planes(bb, p, self.n_cells, self.bits)}

    def build_call_graph(self, ssa):
        if self.data is None:
            return {PlaneWrite(self.n_cells): self.bits}
        counts: dict = {}
        for write in self.plane_writes():
            counts[write] = counts.get(write, 0) + 1
        return counts

    def _closed_forms(self):
        depth = 1 if (self.data is None or any(self.data)) else 0
        return self.n_cells * self.bits, depth, 0

    def adjoint(self) -> "MemoryWrite":
        return self

    def __str__(self):
        return f"MemoryWrite(N={self.n_cells}, b={self.bits})"
