"""The interface every QRAM model shares: registers, sizes, data handling, classical action.

A QRAM model is a Qualtran bloq with registers `address` (log2 N qubits) and `target`
(b qubits) acting as |j>|t> -> |j>|t XOR data[j]>; every other qubit it allocates is returned
to |0>. It is built either from concrete classical data (`data` is a tuple) or from sizes only
(`data` is None), in which case every count is the worst case over data (every data bit 1)
unless the model's docstring says otherwise.

Sizes: N is a power of two (`pad_cells` pads and says so); a symbolic N is assumed to be one,
so log2 N is exact.
"""

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import ClassVar, Optional, Union

import attrs
import numpy as np
import sympy
from qualtran import QUInt, Register, Signature
from qualtran.symbolics import SymbolicInt, is_symbolic

from qlaci_cost.core.grids import pad_size
from qlaci_cost.errors import InputError, describe_value

__all__ = [
    "QRAMInterface",
    "QRAMSizeError",
    "address_bitsize",
    "check_sizes",
    "data_converter",
    "pad_cells",
    "pad_data",
    "qram_signature",
    "xor_lookup",
]


class QRAMSizeError(InputError):
    """A size or data value outside what a QRAM model accepts."""


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def check_sizes(n_cells: SymbolicInt, bits: SymbolicInt) -> None:
    """Raise `QRAMSizeError` naming the bad value unless N >= 2 is a power of two and b >= 1."""
    if not is_symbolic(n_cells):
        if not _is_int(n_cells) or n_cells < 2 or (n_cells & (n_cells - 1)):
            raise QRAMSizeError(
                f"n_cells={n_cells!r} is not allowed: a QRAM model needs a power of two >= 2 "
                "(use pad_cells)"
            )
    if not is_symbolic(bits):
        if not _is_int(bits) or bits < 1:
            raise QRAMSizeError(f"bits={bits!r} is not allowed: bits per word must be >= 1")


def pad_cells(n_cells: SymbolicInt) -> tuple[SymbolicInt, str | None]:
    """Next power of two >= max(N, 2), and a note when it differs from N (None otherwise)."""
    if is_symbolic(n_cells):
        return n_cells, None
    if not _is_int(n_cells) or n_cells < 1:
        raise QRAMSizeError(f"N={n_cells!r} is not allowed: N must be an integer >= 1")
    return pad_size(int(n_cells))


def _words(data) -> tuple[int, ...]:
    """The words of `data` (a sequence or array of non-negative integers) as Python ints;
    `QRAMSizeError` naming the first value that is not an integer (no truncation of 1.5)."""
    rule = "give a sequence of non-negative integer words"
    if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, (Sequence, np.ndarray)):
        raise QRAMSizeError(f"data={describe_value(data)} is not allowed: {rule}")
    if isinstance(data, np.ndarray) and data.dtype.kind not in "iuO":
        raise QRAMSizeError(f"data of dtype {data.dtype} is not allowed: {rule}")
    items = data.ravel().tolist() if isinstance(data, np.ndarray) else list(data)
    for x in items:
        if not _is_int(x):
            raise QRAMSizeError(f"data value {describe_value(x)} is not allowed: {rule}")
    return tuple(int(x) for x in items)


def pad_data(
    data: Sequence[int], bits: int | None = None
) -> tuple[tuple[int, ...], int, str | None]:
    """Validate integer data, pad it with zeros to a power of two; infer bits when None."""
    values = _words(data)
    if not values:
        raise QRAMSizeError("data is empty: a QRAM needs at least one word")
    if any(v < 0 for v in values):
        raise QRAMSizeError(f"data value {min(values)} is not allowed: words are unsigned ints")
    width = max(1, max(values).bit_length())
    if bits is None:
        bits = width
    check_sizes(2, bits)
    if width > bits:
        raise QRAMSizeError(
            f"data value {max(values)} is not allowed: it needs {width} bits, bits={bits}"
        )
    n_cells, note = pad_cells(len(values))
    return values + (0,) * (n_cells - len(values)), bits, note


def data_converter(data) -> tuple[int, ...] | None:
    """attrs converter: data as a hashable tuple of Python ints (bloqs are dict keys); a word
    that is not an integer (1.5, nan, True) is refused with `QRAMSizeError`, never truncated."""
    if data is None:
        return None
    return _words(data)


def address_bitsize(n_cells: SymbolicInt) -> SymbolicInt:
    """log2 N, exact: an int for concrete N, `log(N, 2)` for symbolic N (a power of two)."""
    if is_symbolic(n_cells):
        return sympy.log(n_cells, 2)
    return int(n_cells - 1).bit_length()


def qram_signature(n_cells: SymbolicInt, bits: SymbolicInt) -> Signature:
    """Registers `address` (log2 N qubits) and `target` (b qubits)."""
    return Signature(
        [
            Register("address", QUInt(address_bitsize(n_cells))),
            Register("target", QUInt(bits)),
        ]
    )


def xor_lookup(
    data: tuple[int, ...] | None, address: Union[int, np.integer], target: Union[int, np.integer]
) -> dict:
    """The classical action: target XOR data[address]."""
    if data is None:
        raise InputError("classical simulation needs concrete data")
    return {"address": address, "target": int(target) ^ data[int(address)]}


@attrs.define(slots=False, init=False, eq=False, repr=False)
class QRAMInterface:
    """The plumbing every model shares; list it before `Bloq` in the bases of an attrs class
    with fields `n_cells`, `bits`, `data`.

    Field (keyword only, left out of equality, hash and repr):
        padding_note: What `qram.build`/`build_symbolic` padded (`N=1000 padded to the next
            power of two, N=1024`), or None; it travels with the bloq's cost notes.

    Checks sizes and data length, gives the `address`/`target` signature, the classical action,
    self-inverse `adjoint`, all-ones `worst_case_data` and the model traits every consumer reads
    (`qlaci_cost.core.family.ModelTraits`); a model overrides what differs.

    Traits (class attributes; `qlaci_cost.qram.registry.traits` reads them for a model name):
        ASSUMED_ORACLE: The model is an assumed cost, not a circuit (default False). Tables,
            claims and the crossover label its rows; no decomposition check applies, and the
            classical and state-vector checks use the bloq's own action.
        ASSUMPTION_NOTE: The note printed with an assumed model's rows ("" for circuits).
        NOISE_RULE: The rule of `qlaci_cost.analysis.noise` for its infidelity: "gates" (the
            default: a fault-tolerant circuit, every gate an error location),
            "active-switches" (every switch entangled with the address: eps x
            `active_switches`), "polylog-recall" (noisy routers: eps (log2 N)^2) or
            "assumption" (eps log2 N, an assumption).
        BOUNDS: Metrics whose closed form is only an upper bound (default none).
    """

    ASSUMED_ORACLE: ClassVar[bool] = False
    ASSUMPTION_NOTE: ClassVar[str] = ""
    NOISE_RULE: ClassVar[str] = "gates"
    BOUNDS: ClassVar[frozenset] = frozenset()

    padding_note: Optional[str] = attrs.field(default=None, kw_only=True, eq=False, repr=False)

    def __attrs_post_init__(self):
        check_sizes(self.n_cells, self.bits)
        if self.data is not None and len(self.data) != self.n_cells:
            raise InputError(f"data has {len(self.data)} words, n_cells={self.n_cells}")

    @cached_property
    def signature(self) -> Signature:
        return qram_signature(self.n_cells, self.bits)

    @staticmethod
    def worst_case_data(n_cells: int, bits: int) -> tuple[int, ...]:
        """Every bit 1: every data-dependent gate is present, so closed forms are attained."""
        return (2**bits - 1,) * n_cells

    def on_classical_vals(self, address, target):
        return xor_lookup(self.data, address, target)

    def adjoint(self):
        return self  # |j>|t> -> |j>|t XOR data[j]> is its own inverse
