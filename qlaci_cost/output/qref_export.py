"""QREF export: any bloq as a QREF v1 document whose leaves carry gate costs, so that Bartiq (or
any QREF reader) adds them up the call graph (docs/references.md#qref-and-bartiq).

The document is the bloq's call graph as a routine tree: every callee is a child routine, a
callee called c times is a routine repeated c times (QREF `repetition`, a constant sequence;
c an expression in the sizes), and only leaf gates carry resources, all additive:

| resource | one leaf gate of this kind adds 1 |
|---|---|
| `toffoli` | Toffoli, And (compute), TwoBitCSwap (the Toffoli-class gates of `cost_summary`) |
| `t` | T and T-dagger gates (not the T gates of Toffolis or rotations: `t_count` adds them) |
| `clifford` | Clifford gates, a measurement-based And uncompute's fix-up included |
| `rotations` | arbitrary-angle rotations, before synthesis |
| `measurements` | measurements, a measurement-based And uncompute included |

The leaves are classified as `cost_summary` classifies them (`core.leaves`), and the tree is
walked as `core.gate_counts.LeafGateCounts` walks it (a Qualtran bloq through its
decomposition, ours through their call graphs). A bloq with no callees that is not a leaf gate
(an assumed oracle) is a leaf routine carrying its declared cost (`meta.declared`).

The sizes stay symbols (`input_params`: N, b, ...; `linked_params` pass them down), or are
substituted exactly (`sizes`). Qubits and depths are not additive over a call graph: the root
carries its registers as ports and every metric of `cost_summary` under `meta.closed_forms`
(ours, for reference; a compiler does not read them).
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

from qlaci_cost.errors import InputError, describe_value

__all__ = [
    "QREF_FORMAT",
    "RESOURCES",
    "bloq_names",
    "export_qref",
    "qref_routine",
    "resolve_bloq",
]

#: The `--format` name and the QREF schema version written.
QREF_FORMAT = "qref"
SCHEMA_VERSION = "v1"
#: The additive resources at the leaves (`core.leaves.leaf_gate_counts`' vocabulary).
RESOURCES = ("toffoli", "t", "clifford", "rotations", "measurements")
#: JSON integers beyond this are written as strings of their exact digits.
_SAFE_INT = 2**53
#: Routine names allowed by QREF: `[A-Za-z_][A-Za-z0-9_]*`.
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_]+")
_SIZE_ARG = re.compile(r"\b\w+=[^,()]*(?:\([^()]*\))?")
_LEAF_NOTE = (
    "a leaf gate's resources count that one gate; every other routine's are the sum of its "
    "children's, a repeated child's times its count"
)


# --- names -----------------------------------------------------------------------------------


def _families():
    from qlaci_cost.core.family import families

    return families()


def bloq_names() -> list[str]:
    """Every name `resolve_bloq` accepts, in registry order: `FAMILY/MODEL` for every model of
    every family, and `FAMILY/MODEL/LEVEL` for each further level a family lists in its
    optional `SYMBOLIC_LEVELS` (the first level is the default)."""
    names = []
    for fam in _families():
        levels = tuple(getattr(fam, "SYMBOLIC_LEVELS", ()))
        for model in fam.models():
            names.append(f"{fam.NAME}/{model}")
            names += [f"{fam.NAME}/{model}/{level}" for level in levels[1:]]
    return names


def resolve_bloq(name: str) -> Bloq:
    """The size-only bloq a name stands for, built by its family's `symbolic` hook.

    `MODEL` is a model of the first family that has it (in registry order); `FAMILY/MODEL`
    names the family; `FAMILY/MODEL/LEVEL` asks the family for one of its `SYMBOLIC_LEVELS`.

    Raises:
        InputError: A name that no family knows, naming it and how names are formed.
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"bloq name {describe_value(name)} is not allowed: {_NAME_RULE}")
    parts = name.strip().split("/")
    fams = {fam.NAME: fam for fam in _families()}
    if len(parts) == 1:
        owners = [fam for fam in fams.values() if parts[0] in fam.models()]
        if not owners:
            raise InputError(f"bloq name {name!r} is not allowed: {_NAME_RULE}")
        return owners[0].symbolic(parts[0])
    fam = fams.get(parts[0])
    if fam is None or len(parts) > 3 or parts[1] not in fam.models():
        raise InputError(f"bloq name {name!r} is not allowed: {_NAME_RULE}")
    if len(parts) == 2:
        return fam.symbolic(parts[1])
    levels = tuple(getattr(fam, "SYMBOLIC_LEVELS", ()))
    if parts[2] not in levels:
        allowed = ", ".join(levels) or "none (this family has one level)"
        raise InputError(
            f"bloq name {name!r} is not allowed: level {parts[2]!r} of family {fam.NAME!r} "
            f"is not one of its levels: {allowed}"
        )
    return fam.symbolic(parts[1], level=parts[2])


_NAME_RULE = (
    "give MODEL, FAMILY/MODEL or FAMILY/MODEL/LEVEL (for example a QRAM model name; "
    "'qlaci-cost export --list' lists every name)"
)


# --- the routine tree ------------------------------------------------------------------------


def _routine_name(bloq: Bloq) -> str:
    """A QREF name for a bloq: its printed form without `key=value` arguments (sizes), every
    character QREF does not allow in a name run as `_` (`RouterTree(N=N, uncompute)` is
    `RouterTree_uncompute`, `And†` is `And_dag`)."""
    text = _SIZE_ARG.sub("", str(bloq)).replace("†", "_dag")
    name = _NAME_CHARS.sub("_", text).strip("_")[:64].rstrip("_") or type(bloq).__name__
    return name if not name[0].isdigit() else f"_{name}"


def _decomposition(bloq: Bloq) -> Optional[CompositeBloq]:
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

    cbloq = _decomposition(bloq) if counted_by_decomposition(bloq) else None
    if cbloq is not None:
        return list(Counter(binst.bloq for binst in cbloq.bloq_instances).items())
    return list(get_bloq_callee_counts(bloq, ignore_decomp_failure=False))


def _declared(bloq: Bloq) -> dict[str, Any]:
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


class _Builder:
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

        base = {"name": _routine_name(bloq), "type": type(bloq).__name__}
        if leaf_class(bloq) is not None:
            counts = leaf_gate_counts(bloq)
            return {**base, "resources": _resources(counts)} if counts else None
        callees = _callees(bloq)
        if not callees:
            resources = {k: self.value(v) for k, v in _declared(bloq).items()}
            meta = {"bloq": str(bloq), "declared": "a cost the bloq declares, not a circuit"}
            return {**base, "resources": _resources(resources), "meta": meta}
        children = []
        for callee, times in callees:
            child = self.routine(callee)
            count = self.value(times)
            if child is None or count == 0:
                continue
            if count != 1:
                child = _repeated(child, count, self.symbols(times))
            children.append(child)
        return _with_params({**base, "children": _unique(children), "meta": {"bloq": str(bloq)}})


def _resources(counts: Mapping[str, Any]) -> list[dict]:
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
    return _with_params(wrapper, own=frozenset(symbols))


def _unique(children: list[dict]) -> list[dict]:
    """Sibling names made unique (`_2`, `_3`, ... after the first)."""
    seen: Counter = Counter()
    out = []
    for child in children:
        seen[child["name"]] += 1
        if seen[child["name"]] > 1:
            child = {**child, "name": f"{child['name']}_{seen[child['name']]}"}
        out.append(child)
    return out


def _with_params(routine: dict, own: frozenset = frozenset()) -> dict:
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


# --- the document ----------------------------------------------------------------------------


def _ports(bloq: Bloq, builder: _Builder) -> tuple[list[dict], set[str]]:
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
    builder = _Builder(sizes or {})
    root = builder.routine(bloq)
    if root is None:  # a bookkeeping bloq: nothing to count
        root = {"name": _routine_name(bloq), "type": type(bloq).__name__}
    ports, symbols = _ports(bloq, builder)
    params = sorted(set(root.get("input_params", ())) | symbols)
    out = {**root, "ports": ports, "input_params": params}
    return {k: v for k, v in out.items() if v != []}


def _logged(exprs) -> set[str]:
    """Size names under a bare log (not inside floor or ceiling): powers of two, as
    `CostSummary.subs` requires, so that log2 of them is an exact integer."""
    rounded = (sympy.floor, sympy.ceiling)
    out = set()
    for e in exprs:
        if isinstance(e, sympy.Basic):
            bare = e.xreplace({r: sympy.Integer(0) for r in e.atoms(*rounded)})
            out |= {s.name for log in bare.atoms(sympy.log) for s in log.args[0].free_symbols}
    return out


def _checked_sizes(
    sizes: Mapping, params: list[str], logged: set[str], strict: bool = True
) -> tuple[dict, list]:
    """`sizes` checked against the document's size symbols (`strict`: an unknown name is an
    error, else skipped); log sizes padded to a power of two, with a note."""
    from qlaci_cost.core.grids import pad_size

    if not isinstance(sizes, Mapping):
        raise InputError(
            f"sizes={describe_value(sizes)} is not allowed: give a mapping of size names to "
            "integers >= 1, e.g. {'N': 1024}"
        )
    checked, notes = {}, []
    for name, value in sizes.items():
        name = str(name)
        if type(value) is not int or value < 1:
            raise InputError(
                f"size {name}={describe_value(value)} is not allowed: sizes are integers >= 1"
            )
        if name not in params:
            if not strict:
                continue
            known = ", ".join(params) or "none: the bloq has no size symbols"
            raise InputError(f"size {name!r} is not allowed: the bloq's size symbols are {known}")
        if name in logged:
            value, note = pad_size(value)
            notes += [note.replace("N=", f"{name}=")] if note else []
        checked[name] = value
    return checked, notes


def _meta(bloq: Bloq, summary, sizes: dict, notes: list, value) -> dict:
    from qlaci_cost import __version__
    from qlaci_cost.core.summary import METRICS

    known = {
        s.name
        for v in summary.metrics().values()
        if isinstance(v, sympy.Basic)
        for s in v.free_symbols
    }
    at = {k: v for k, v in sizes.items() if k in known}
    metrics = summary.subs(at).metrics() if at else summary.metrics()
    return {
        "generator": f"qlaci-cost {__version__}",
        "bloq": str(bloq),
        "sizes": {k: value(v) for k, v in sizes.items()} if sizes else "symbolic",
        "resources": {
            "toffoli": "Toffoli, And (compute) and TwoBitCSwap gates",
            "t": "T gates (T count = t + T per Toffoli x toffoli + T per rotation x rotations)",
            "clifford": "Clifford gates",
            "rotations": "arbitrary-angle rotations before synthesis",
            "measurements": "measurements, measurement-based And uncomputes included",
            "rule": _LEAF_NOTE,
        },
        "closed_forms": {m: value(metrics[m]) for m in METRICS},
        "conventions": summary.conventions.describe(),
        "notes": [*notes, *summary.notes],
    }


def _one(target: Union[str, Bloq], sizes: Mapping, strict: bool = True) -> dict:
    """The root routine (with its meta) of one bloq or bloq name, the `sizes` it has
    substituted (`strict`: every size must be one of its symbols)."""
    from qlaci_cost.core.summary import cost_summary

    bloq = target if isinstance(target, Bloq) else resolve_bloq(target)
    summary = cost_summary(bloq)
    symbolic = qref_routine(bloq)
    params = symbolic.get("input_params", [])
    logged = _logged(summary.metrics().values())
    checked, notes = _checked_sizes(sizes, params, logged, strict)
    root = qref_routine(bloq, checked) if checked else symbolic
    meta = _meta(bloq, summary, checked, notes, _Builder(checked).value)
    return {**root, "meta": {**root.get("meta", {}), **meta}}


def _collection(targets: list, sizes: Mapping) -> dict:
    """Several bloqs side by side; each takes the sizes it has, and every size must be used."""
    if not targets:
        raise InputError("bloq list [] is not allowed: give at least one bloq or name")
    children = _unique([_one(t, sizes, strict=False) for t in targets])
    used = {
        k
        for c in children
        for k in (c["meta"]["sizes"] if c["meta"]["sizes"] != "symbolic" else {})
    }
    unused = [str(k) for k in sizes if str(k) not in used]
    if unused:
        raise InputError(f"size {unused[0]!r} is not allowed: no bloq given has that size symbol")
    program = _with_params({"name": "bloqs", "type": "collection", "children": children})
    ports, connections = _passed_through(children)
    note = "independent bloqs side by side: read each child's resources"
    return {**program, "ports": ports, "connections": connections, "meta": {"note": note}}


def _passed_through(children: list[dict]) -> tuple[list[dict], list[dict]]:
    """Ports of a collection passing each child's ports in and out (QREF connects every port:
    a child's through port gets an input and an output port of the collection)."""
    ports, connections = [], []
    for child in children:
        for port in child.get("ports", ()):
            name, inner = f"{child['name']}_{port['name']}", f"{child['name']}.{port['name']}"
            if port["direction"] != "output":
                ports.append({**port, "name": f"in_{name}", "direction": "input"})
                connections.append({"source": f"in_{name}", "target": inner})
            if port["direction"] != "input":
                ports.append({**port, "name": f"out_{name}", "direction": "output"})
                connections.append({"source": inner, "target": f"out_{name}"})
    return ports, connections


def export_qref(target: Union[str, Bloq, list], sizes: Optional[Mapping[str, int]] = None) -> dict:
    """A QREF v1 document (a JSON-ready dict, validated by `qref`) of a bloq or a bloq name.

    Args:
        target: A Qualtran bloq, a name `resolve_bloq` accepts (`bloq_names()` lists them),
            or a list of them: then the program is a routine `bloqs` with one child per bloq
            (independent programs side by side: read each child's resources, the root only
            adds them up).
        sizes: Size symbols to substitute exactly, e.g. {"N": 1024, "b": 8} (a size under
            log2, N, is padded to the next power of two and a note says so); None keeps every
            size a symbol.

    Raises:
        InputError: An unknown name or size symbol, or a size that is not an integer >= 1.
    """
    from qref import SchemaV1

    sizes = {} if sizes is None else sizes
    if isinstance(target, (list, tuple)):
        program = _collection(list(target), sizes)
    else:
        program = _one(target, sizes)
    document = {"version": SCHEMA_VERSION, "program": program}
    SchemaV1.model_validate(document)
    return document
