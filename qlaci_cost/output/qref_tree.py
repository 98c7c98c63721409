"""The call graph of a bloq as QREF routines: leaf gates carry their costs, every other routine
only its children, a callee called c times is a routine repeated c times (QREF `repetition`, a
constant sequence; c an expression in the sizes), so a QREF compiler adds the costs up the tree
(docs/references.md#qref-and-bartiq).

The resources, all additive, one leaf gate adding 1 to its kind:

| resource | leaf gates |
|---|---|
| `toffoli` | Toffoli, And (compute), TwoBitCSwap (the Toffoli-class gates of `cost_summary`) |
| `t` | T and T-dagger gates (not the T gates of Toffolis or rotations: `t_count` adds them) |
| `clifford` | Clifford gates, a measurement-based And uncompute's fix-up included |
| `rotations` | arbitrary-angle rotations, before synthesis |
| `measurements` | measurements, a measurement-based And uncompute included |

The leaves are classified as `cost_summary` classifies them (`core.leaves`), and the tree is
walked as `core.gate_counts.LeafGateCounts` walks it (a Qualtran bloq through its
decomposition, ours through their call graphs). A bloq with no callees that is not a leaf gate
(an assumed oracle) is a leaf routine carrying its declared cost (`meta.declared`). Sizes stay
symbols (`input_params`, passed down by `linked_params`) unless substituted.
"""

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, Optional, Union

import sympy
from qualtran import (
    Bloq,
    CompositeBloq,
    DecomposeNotImplementedError,
    DecomposeTypeError,
    Side,
)

__all__ = [
    "RESOURCES",
    "Builder",
    "decomposition",
    "declared_resources",
    "qref_routine",
    "resource_list",
    "routine_name",
    "unique_names",
    "with_params",
]

#: The additive resources at the leaves (`core.leaves.leaf_gate_counts`' vocabulary).
RESOURCES = ("toffoli", "t", "clifford", "rotations", "measurements")
#: JSON integers beyond this are written as strings of their exact digits.
_SAFE_INT = 2**53
#: Routine names allowed by QREF: `[A-Za-z_][A-Za-z0-9_]*`.
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]+")
_SIZE_ARG = re.compile(r"\b\w+=[^,()]*(?:\([^()]*\))?")


def routine_name(bloq: Bloq) -> str:
    """A QREF name for a bloq: its printed form without `key=value` arguments (sizes), every
    character QREF does not allow in a name run as `_` (`RouterTree(N=N, uncompute)` is
    `RouterTree_uncompute`, `And†` is `And_dag`)."""
    text = _SIZE_ARG.sub("", str(bloq)).replace("†", "_dag")
    name = _NAME_CHARS.sub("_", text).strip("_")[:64].rstrip("_") or type(bloq).__name__
    return name if not name[0].isdigit() else f"_{name}"


def decomposition(bloq: Bloq) -> Optional[CompositeBloq]:
    if isinstance(bloq, CompositeBloq):
        return bloq
    try:
        return bloq.decompose_bloq()
    except (DecomposeNotImplementedError, DecomposeTypeError):
        return None


def _callees(bloq: Bloq) -> list[tuple[Bloq, Any]]:
    """(callee, times) as `LeafGateCounts` walks them: a Qualtran bloq's decomposition, else
    the call graph."""
    from qualtran.resource_counting._call_graph import get_bloq_callee_counts

    from qlaci_cost.core.gate_counts import counted_by_decomposition

    cbloq = decomposition(bloq) if counted_by_decomposition(bloq) else None
    if cbloq is not None:
        return list(Counter(binst.bloq for binst in cbloq.bloq_instances).items())
    return list(get_bloq_callee_counts(bloq, ignore_decomp_failure=False))


def declared_resources(bloq: Bloq) -> dict[str, Any]:
    """The cost a bloq without callees declares (`my_static_costs`), as leaf resources."""
    from qualtran.resource_counting import get_cost_value

    from qlaci_cost.core.gate_counts import LeafGateCounts

    gc = get_cost_value(bloq, LeafGateCounts())
    return {
        "toffoli": gc.toffoli + gc.cswap + gc.and_bloq,
        "t": gc.t,
        "clifford": gc.clifford,
        "rotations": gc.rotation,
        "measurements": gc.measurement,
    }


class Builder:
    """Routine dicts for one document: sizes substituted, one tree per distinct bloq."""

    def __init__(self, sizes: Mapping[str, int]):
        self.sizes = dict(sizes)
        self.memo: dict[Bloq, Optional[dict]] = {}

    def exact(self, x: Any) -> Any:
        """`x` with the sizes substituted exactly (an int when no symbol is left)."""
        from qlaci_cost.symbolics.exact import evaluate

        if isinstance(x, sympy.Basic):
            x = evaluate(x, self.sizes) if self.sizes else x
            return int(x) if isinstance(x, sympy.Integer) else x
        return x

    def value(self, x: Any) -> Union[int, str]:
        """An exact value as QREF holds it: an int (a string of digits beyond 2^53) or an
        expression in the remaining size symbols."""
        x = self.exact(x)
        if isinstance(x, int) and not isinstance(x, bool):
            return x if abs(x) <= _SAFE_INT else str(x)
        return str(x)

    def symbols(self, x: Any) -> set[str]:
        """The size symbols left in `x` after substitution."""
        x = self.exact(x)
        return {s.name for s in x.free_symbols} if isinstance(x, sympy.Basic) else set()

    def routine(self, bloq: Bloq) -> Optional[dict]:
        """The routine of `bloq` (None for a bookkeeping or free leaf: it costs nothing)."""
        if bloq not in self.memo:
            self.memo[bloq] = self._build(bloq)
        return self.memo[bloq]

    def _build(self, bloq: Bloq) -> Optional[dict]:
        from qlaci_cost.core.leaves import leaf_class, leaf_gate_counts

        base = {"name": routine_name(bloq), "type": type(bloq).__name__}
        if leaf_class(bloq) is not None:
            counts = leaf_gate_counts(bloq)
            return {**base, "resources": resource_list(counts)} if counts else None
        callees = _callees(bloq)
        if not callees:
            resources = {k: self.value(v) for k, v in declared_resources(bloq).items()}
            meta = {"bloq": str(bloq), "declared": "a cost the bloq declares, not a circuit"}
            return {**base, "resources": resource_list(resources), "meta": meta}
        children = []
        for callee, times in callees:
            child = self.routine(callee)
            count = self.value(times)
            if child is None or count == 0:
                continue
            if count != 1:
                child = _repeated(child, count, self.symbols(times))
            children.append(child)
        return with_params(
            {**base, "children": unique_names(children), "meta": {"bloq": str(bloq)}}
        )


def resource_list(counts: Mapping[str, Any]) -> list[dict]:
    return [
        {"name": k, "type": "additive", "value": v}
        for k, v in counts.items()
        if k in RESOURCES and v != 0
    ]


def _repeated(child: dict, count: Union[int, str], symbols: set[str]) -> dict:
    """`child` run `count` times: a routine with a constant-sequence repetition of it."""
    wrapper = {
        "name": child["name"],
        "type": "repetition",
        "children": [child],
        "repetition": {"count": count, "sequence": {"type": "constant", "multiplier": 1}},
    }
    return with_params(wrapper, own=frozenset(symbols))


def unique_names(children: list[dict]) -> list[dict]:
    """Sibling names made unique (`_2`, `_3`, ... after the first)."""
    seen: Counter = Counter()
    out = []
    for child in children:
        seen[child["name"]] += 1
        if seen[child["name"]] > 1:
            child = {**child, "name": f"{child['name']}_{seen[child['name']]}"}
        out.append(child)
    return out


def with_params(routine: dict, own: frozenset = frozenset()) -> dict:
    """`input_params`: the size symbols the routine and its descendants use; `linked_params`:
    each passed on to the children that use it."""
    params = set(own)
    for child in routine.get("children", ()):
        params |= set(child.get("input_params", ()))
    links = [
        {
            "source": p,
            "targets": [
                f"{c['name']}.{p}" for c in routine["children"] if p in c.get("input_params", ())
            ],
        }
        for p in sorted(params)
    ]
    links = [link for link in links if link["targets"]]
    out = {**routine, "input_params": sorted(params), "linked_params": links}
    return {k: v for k, v in out.items() if v != []}


def _ports(bloq: Bloq, builder: Builder) -> tuple[list[dict], set[str]]:
    """The root's registers as QREF ports (a THRU register is a `through` port), sizes the
    register's qubits (bitsize x its shape), and the size symbols they use."""
    direction = {Side.THRU: "through", Side.LEFT: "input", Side.RIGHT: "output"}
    ports, symbols = [], set()
    for reg in bloq.signature:
        size = reg.bitsize
        for dim in reg.shape_symbolic:
            size = size * dim
        symbols |= builder.symbols(size)
        ports.append(
            {"name": reg.name, "direction": direction[reg.side], "size": builder.value(size)}
        )
    return ports, symbols


def qref_routine(bloq: Bloq, sizes: Optional[Mapping[str, int]] = None) -> dict:
    """The routine tree of `bloq` (a dict in QREF v1's routine layout), sizes substituted."""
    builder = Builder(sizes or {})
    root = builder.routine(bloq)
    if root is None:  # a bookkeeping bloq: nothing to count
        root = {"name": routine_name(bloq), "type": type(bloq).__name__}
    ports, symbols = _ports(bloq, builder)
    params = sorted(set(root.get("input_params", ())) | symbols)
    out = {**root, "ports": ports, "input_params": params}
    return {k: v for k, v in out.items() if v != []}
