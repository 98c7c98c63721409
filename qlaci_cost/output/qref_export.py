"""QREF export: any bloq as a QREF v1 document that Bartiq (or any QREF reader) compiles
(docs/references.md#qref-and-bartiq).

The document is the bloq's call graph (`output.qref_tree`: only leaf gates carry resources, so
a compiler adds them up the tree), symbolic in the sizes or at given sizes; or, with
`circuit=True`, the wired decomposition of a concrete circuit (`output.qref_circuit`: ports and
connections too, so a compiler can also find the peak number of live qubits). Qubits and
depths are not additive over a call graph: the root carries its registers as ports and every
metric of `cost_summary` under `meta.closed_forms` (ours, for reference; a compiler does not
read them).

Names (`resolve_bloq`, `bloq_names`) go through the family registry (`core.family`):
`FAMILY/MODEL` is a family's `symbolic(MODEL)`, `FAMILY/MODEL/LEVEL` its `symbolic(MODEL,
level=LEVEL)` for the levels it lists in its optional `SYMBOLIC_LEVELS`.
"""

from collections.abc import Mapping
from typing import Optional, Union

import sympy
from qualtran import Bloq

from qlaci_cost.errors import InputError, describe_value
from qlaci_cost.output.qref_tree import (
    RESOURCES,
    Builder,
    qref_routine,
    unique_names,
    with_params,
)

__all__ = [
    "QREF_FORMAT",
    "RESOURCES",
    "SCHEMA_VERSION",
    "bloq_names",
    "export_qref",
    "resolve_bloq",
]

#: The `--format` name and the QREF schema version written.
QREF_FORMAT = "qref"
SCHEMA_VERSION = "v1"
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


# --- the document ----------------------------------------------------------------------------


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


def _one(target: Union[str, Bloq], sizes: Mapping, strict: bool = True, circuit=False) -> dict:
    """The root routine (with its meta) of one bloq or bloq name, the `sizes` it has
    substituted (`strict`: every size must be one of its symbols); `circuit`: the wired
    decomposition of a concrete bloq instead of the call graph."""
    from qlaci_cost.core.summary import cost_summary

    bloq = target if isinstance(target, Bloq) else resolve_bloq(target)
    if circuit:
        from qlaci_cost.output.qref_circuit import circuit_routine

        root = circuit_routine(bloq)
        meta = _meta(bloq, cost_summary(bloq), {}, [], Builder({}).value)
        return {**root, "meta": {**root.get("meta", {}), **meta, "wired": True}}
    summary = cost_summary(bloq)
    symbolic = qref_routine(bloq)
    params = symbolic.get("input_params", [])
    logged = _logged(summary.metrics().values())
    checked, notes = _checked_sizes(sizes, params, logged, strict)
    root = qref_routine(bloq, checked) if checked else symbolic
    meta = _meta(bloq, summary, checked, notes, Builder(checked).value)
    return {**root, "meta": {**root.get("meta", {}), **meta}}


def _collection(targets: list, sizes: Mapping, circuit: bool) -> dict:
    """Several bloqs side by side; each takes the sizes it has, and every size must be used."""
    if not targets:
        raise InputError("bloq list [] is not allowed: give at least one bloq or name")
    children = unique_names([_one(t, sizes, False, circuit) for t in targets])
    used = {
        k
        for c in children
        for k in (c["meta"]["sizes"] if c["meta"]["sizes"] != "symbolic" else {})
    }
    unused = [str(k) for k in sizes if str(k) not in used]
    if unused:
        raise InputError(f"size {unused[0]!r} is not allowed: no bloq given has that size symbol")
    program = with_params({"name": "bloqs", "type": "collection", "children": children})
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


def export_qref(
    target: Union[str, Bloq, list],
    sizes: Optional[Mapping[str, int]] = None,
    circuit: bool = False,
) -> dict:
    """A QREF v1 document (a JSON-ready dict, validated by `qref`) of a bloq or a bloq name.

    Args:
        target: A Qualtran bloq, a name `resolve_bloq` accepts (`bloq_names()` lists them),
            or a list of them: then the program is a routine `bloqs` with one child per bloq
            (independent programs side by side: read each child's resources, the root only
            adds them up).
        sizes: Size symbols to substitute exactly, e.g. {"N": 1024, "b": 8} (a size under
            log2, N, is padded to the next power of two and a note says so); None keeps every
            size a symbol.
        circuit: Write the wired decomposition of a concrete circuit (a bloq built from data,
            e.g. `qram.build('qrom', data)`): every instance with its ports and connections,
            so that a compiler can find its peak qubits too. Sizes are the bloq's own.

    Raises:
        InputError: An unknown name or size symbol, a size that is not an integer >= 1, or
            `circuit` with sizes or with a bloq whose registers are symbolic.
    """
    from qref import SchemaV1

    sizes = {} if sizes is None else sizes
    if circuit and sizes:
        raise InputError(
            f"sizes={describe_value(sizes)} are not allowed with circuit=True: a circuit has the "
            "sizes it was built with"
        )
    if isinstance(target, (list, tuple)):
        program = _collection(list(target), sizes, circuit)
    else:
        program = _one(target, sizes, circuit=circuit)
    document = {"version": SCHEMA_VERSION, "program": program}
    SchemaV1.model_validate(document)
    return document
