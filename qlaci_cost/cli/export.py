"""The `qlaci-cost export` subcommand: bloqs as documents other tools read (QREF for Bartiq)."""

import argparse
import json

from qlaci_cost.cli.args import CLIError, add_bits_arg, bits_from_args, checked_out_path, count

__all__ = ["FORMATS", "MAX_CIRCUIT_N", "add_parser", "run"]

#: Export formats (QREF v1, `output.qref_export.QREF_FORMAT`; kept here so --help is fast).
FORMATS: tuple[str, ...] = ("qref",)
#: Largest N of `--circuit` (its document lists every gate and wire: ~0.4 MB at N = 16).
MAX_CIRCUIT_N = 64

_EPILOG = """\
names: MODEL (a QRAM model), FAMILY/MODEL (qram/qrom, qlaci/bucket-brigade: the QLACI query
over that QRAM, multi-query/qrom, qlam/final: one run's sequence of a QLAM readout protocol) or
FAMILY/MODEL/LEVEL (qlaci/qrom/head, qlam/final/step); --list prints every name. No name: every
bloq, side by side in one document.

document: the bloq's call graph as QREF routines; only leaf gates carry resources (toffoli, t,
clifford, rotations, measurements, all additive) and a callee called c times is a routine
repeated c times, so Bartiq (bartiq.compile_routine) adds the counts up the tree. The sizes
stay symbols (N, b, B) unless given; the root's meta holds every metric of qlaci-cost's own
closed forms for comparison (docs/references.md#qref-and-bartiq).

--circuit: instead of the call graph, the wired decomposition of a small concrete circuit
(worst-case data): ports and connections too, so a compiler also finds its peak qubits
(Bartiq's qubit_highwater).

examples:
  qlaci-cost export --format qref bucket-brigade --out bucket_brigade.qref.json
  qlaci-cost export --format qref qlaci/qrom/head --n 2^20 --out head.qref.json
  qlaci-cost export --circuit qrom --n 8 --word-bits 2 --out qrom8.qref.json
  qlaci-cost export --list
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "export",
        help="write bloqs as QREF documents (symbolic in N, b) that Bartiq compiles",
        description=(
            "Write any bloq (every QRAM model, the QLACI query and head, multi-query QLACI,\n"
            "the QLAM step and sequence) as a QREF v1 document: its call graph with the leaf\n"
            "gates' costs, symbolic in the sizes or at the sizes given."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("names", nargs="*", metavar="NAME", help="bloq names (default: every bloq)")
    p.add_argument("--format", choices=FORMATS, default="qref", help="document format (qref)")
    p.add_argument("--n", metavar="N", help="substitute N (one size, e.g. 1024 or 2^20)")
    add_bits_arg(p, "--word-bits", None, "substitute the QRAM word size b (an integer >= 1)")
    p.add_argument("--batch", metavar="B", help="substitute the multi-query batch B")
    p.add_argument("--symbolic", action="store_true", help="keep every size a symbol (the default)")
    p.add_argument(
        "--circuit",
        action="store_true",
        help=f"the wired circuit of QRAM models at --n (<= {MAX_CIRCUIT_N}) and --word-bits "
        "(default 2), worst-case data: every gate with its ports and connections, so that "
        "Bartiq can compute its peak qubits too",
    )
    p.add_argument("--list", action="store_true", help="print every bloq name and exit")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="write to FILE instead of stdout (- is stdout; checked before any work, written "
        "only when everything succeeded)",
    )
    p.set_defaults(run=run)
    return p


def _sizes(args: argparse.Namespace) -> dict[str, int]:
    """The sizes to substitute: --n, --word-bits, --batch (none with --symbolic)."""
    from qlaci_cost.core.grids import parse_sizes

    sizes = {}
    if args.n is not None:
        grid = parse_sizes(args.n, "--n")
        if len(grid) != 1:
            raise CLIError(f"--n: {args.n!r} is not allowed: give one size N, not a grid")
        sizes["N"] = grid[0]
    bits = bits_from_args(args)
    if bits is not None:
        sizes["b"] = bits
    if args.batch is not None:
        sizes["B"] = count(args.batch, "--batch", "the batch B")
    if args.symbolic and sizes:
        given = ", ".join(sizes)
        raise CLIError(f"--symbolic is not allowed with sizes ({given}): give one or the other")
    return sizes


def _circuits(args: argparse.Namespace, sizes: dict) -> list:
    """`--circuit`: each named QRAM model built at N and b from its worst-case data."""
    from qlaci_cost.qram import all_models, build, model_class

    if "N" not in sizes or set(sizes) - {"N", "b"}:
        raise CLIError("--circuit is not allowed without --n N, or with --batch: give N (and b)")
    if sizes["N"] > MAX_CIRCUIT_N:
        raise CLIError(f"--n: {args.n!r} is not allowed with --circuit: N <= {MAX_CIRCUIT_N}")
    names = [name.removeprefix("qram/") for name in args.names or all_models()]
    for name in names:
        if name not in all_models():
            allowed = ", ".join(all_models())
            raise CLIError(f"--circuit: {name!r} is not allowed: give QRAM models: {allowed}")
    n_cells, bits = sizes["N"], sizes.get("b", 2)
    return [build(m, model_class(m).worst_case_data(n_cells, bits), bits) for m in names]


def run(args: argparse.Namespace) -> int:
    from qlaci_cost.cli.args import write_output

    out = checked_out_path(args.out)
    sizes = _sizes(args)  # checked before the bloqs are built
    if args.list and (sizes or args.names or args.circuit):
        raise CLIError("--list is not allowed with names, sizes or --circuit: it lists names")
    from qlaci_cost.output.qref_export import bloq_names, export_qref

    if args.list:
        write_output("".join(f"{name}\n" for name in bloq_names()), out)
        return 0
    if args.circuit:
        bloqs = _circuits(args, sizes)
        document = export_qref(bloqs[0] if len(bloqs) == 1 else bloqs, circuit=True)
        write_output(json.dumps(document, indent=2) + "\n", out)
        return 0
    names = args.names or bloq_names()
    target = names[0] if len(names) == 1 else list(names)
    document = export_qref(target, sizes or None)
    write_output(json.dumps(document, indent=2) + "\n", out)
    return 0
