"""The `qlaci-cost draw NAME` subcommand: the call graph and the circuit of one bloq, as a picture.

NAME is anything a registered family can draw (`core.drawings`): a QRAM model, a bloq of a
family (qlaci-query, qlaci-head, multi-query, qlam-step, qlam-sequence) or a family's own name.
The picture is `output.drawing.render`'s: the call graph of the size-only bloq above the
circuit (Qualtran's musical score) of a small concrete instance.
"""

import argparse
import os
import sys

from qlaci_cost.cli.args import CLIError, checked_out_path

__all__ = ["BLOQS", "DRAW_FORMATS", "MAX_CIRCUIT_N", "PICTURES", "add_parser", "run"]

#: Kept here so that `--help` imports no library code (a test checks that they equal
#: `output.drawing.FORMATS`, `output.drawing.PICTURES` and the families' drawing names).
DRAW_FORMATS: tuple[str, ...] = ("svg", "png")
PICTURES: tuple[str, ...] = ("both", "call-graph", "circuit")
BLOQS: tuple[str, ...] = ("qlaci-query", "qlaci-head", "multi-query", "qlam-sequence", "qlam-step")
#: Largest N whose circuit is drawn: it is drawn operation by operation (about N log N columns;
#: the fanout QRAM at N = 16 takes about 5 s, at N = 32 about a minute).
MAX_CIRCUIT_N = 16
MAX_LEVELS = 3

_EPILOG = f"""\
names: every QRAM model (bucket-brigade, qrom, select-swap, ..., ideal), the family bloqs
{", ".join(BLOQS)},
or a family's own name (qram: bucket-brigade, qlaci: qlaci-query, qlam: qlam-sequence);
'qlaci-cost draw list' prints them all.

picture: the call graph of the size-only bloq at N (every node with its qubits and gate counts,
every edge with its call count: the counts the tables use), laid out by Graphviz's dot where it
is installed, else by matplotlib; below it, the circuit of a concrete instance at N (the
worst-case data of its QRAM model, seeded angles) as Qualtran's musical score, one
decomposition level deep (--levels; a level that is one operation is opened further). A head
draws its query's circuit; an assumed oracle (ideal) has none. N <= {MAX_CIRCUIT_N} when the
circuit is drawn (it is drawn operation by operation); the call graph alone takes any N
(--picture call-graph).

output: FILE (default NAME_nN.FORMAT in the current folder; '-' is stdout), written only when
the whole picture is done; the format follows --format, else FILE's suffix, else svg.

examples:
  qlaci-cost draw qrom --n 8
  qlaci-cost draw qlaci-query --n 4 --qram qrom --format png --out query.png
  qlaci-cost draw bucket-brigade --n 2^20 --picture call-graph --out bb.svg
  qlaci-cost draw list
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "draw",
        help="a picture of one bloq: its call graph and the circuit of a small instance",
        description=(
            "Draws one bloq (a QRAM model, a QLACI or QLAM bloq) at size N: its call graph\n"
            "with the counts of every node, and the circuit of a small concrete instance."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", metavar="NAME", help="what to draw, or 'list' (see below)")
    p.add_argument("--n", metavar="N", default="8", help="the size N, e.g. 8 or 2^4 (default 8)")
    p.add_argument(
        "--format", choices=DRAW_FORMATS, default=None, help="svg or png (default: FILE's suffix)"
    )
    p.add_argument("--out", metavar="FILE", default=None, help="the picture's file ('-': stdout)")
    p.add_argument(
        "--picture",
        choices=PICTURES,
        default="both",
        help="both panels (default), or the call graph or the circuit alone",
    )
    p.add_argument(
        "--levels",
        metavar="L",
        default="1",
        help=f"decomposition levels of the circuit, 1 to {MAX_LEVELS} (default 1)",
    )
    p.add_argument(
        "--qram",
        metavar="MODEL",
        default=None,
        help="the QRAM model a QLACI bloq loads through (default bucket-brigade)",
    )
    p.add_argument(
        "--no-graphviz",
        dest="graphviz",
        action="store_false",
        default=None,
        help="lay the call graph out with matplotlib even where Graphviz is installed",
    )
    p.set_defaults(run=run)
    return p


def _size(args: argparse.Namespace) -> int:
    from qlaci_cost.core.grids import parse_sizes

    sizes = parse_sizes(args.n, "--n")
    if len(sizes) != 1:
        raise CLIError(f"--n: {args.n!r} is not allowed: draw takes one size N, like 8 or 2^4")
    (n,) = sizes
    if args.picture != "call-graph" and n > MAX_CIRCUIT_N:
        raise CLIError(
            f"--n: {args.n!r} is not allowed: N must be <= {MAX_CIRCUIT_N} when the circuit is "
            "drawn (operation by operation); --picture call-graph takes any N"
        )
    return n


def _format(args: argparse.Namespace, out: str | None) -> str:
    suffix = os.path.splitext(out)[1].lstrip(".").lower() if out else ""
    if args.format is None:
        return suffix if suffix in DRAW_FORMATS else "svg"
    if suffix in DRAW_FORMATS and suffix != args.format:
        raise CLIError(
            f"--out: {out!r} is not allowed with --format {args.format}: "
            f"give a file ending in .{args.format}"
        )
    return args.format


def _levels(text: str) -> int:
    stripped = str(text).strip()
    if not stripped.isascii() or not stripped.isdigit() or not 1 <= int(stripped) <= MAX_LEVELS:
        raise CLIError(
            f"--levels: {text!r} is not allowed: an integer from 1 to {MAX_LEVELS} is needed"
        )
    return int(stripped)


def _list() -> int:
    from qlaci_cost.core.drawings import descriptions, drawing_names

    names = drawing_names()
    for name, what in descriptions().items():
        print(f"{name} ({names[name]}): {what}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.name.strip() == "list":
        return _list()
    from qlaci_cost.core.drawings import drawing, resolve

    name = args.name.strip()
    n, levels = _size(args), _levels(args.levels)
    default = f"{name}_n{n}.{args.format or 'svg'}"
    out = checked_out_path(default if args.out is None else args.out)
    fmt = _format(args, out or args.out)
    resolve(name)  # imports the families: after the cheap checks
    options = {} if args.qram is None else {"qram": args.qram}
    drawn = drawing(name, n, options)

    from qlaci_cost.output.drawing import render

    data = render(drawn, fmt, args.picture, levels, args.graphviz)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    from qlaci_cost.core.atomic import atomic_write

    try:
        atomic_write(out, data)
    except OSError as exc:
        raise CLIError(f"--out: {out!r} could not be written: {exc.strerror or exc}") from None
    print(out)
    return 0
