"""Options shared by the `qlaci-cost` subcommands, defined once, and their checks.

Every check raises `CLIError` with one line naming the option, the value given and what is
allowed; `qlaci_cost.cli.main` prints it as `qlaci-cost: error: ...` with exit status 2. This
module imports nothing heavy (no Qualtran, Cirq or sympy), so `--help` stays fast.
"""

import argparse
import contextlib
import math
import os
import re
import sys
from collections.abc import Callable

from qlaci_cost.errors import InputError

__all__ = [
    "CLIError",
    "NEGATIVE_NUMBER",
    "formats_from_args",
    "PROG",
    "DEFAULT_PRECISION",
    "BUDGET_SCOPES",
    "DEFAULT_BUDGET_SCOPE",
    "add_bits_arg",
    "add_budget_scope_arg",
    "add_component_bits_arg",
    "add_convention_args",
    "add_models_arg",
    "add_output_args",
    "add_physical_args",
    "add_readout_args",
    "add_sizes_arg",
    "bits_from_args",
    "checked_out_dir",
    "checked_out_path",
    "convention_options",
    "conventions_from_args",
    "count",
    "emit_table",
    "parse_delta",
    "models_from_args",
    "number",
    "parse_bits",
    "physical_params",
    "precision_from_args",
    "scenario_from_args",
    "sizes_from_args",
    "write_output",
]

PROG = "qlaci-cost"

#: Values argparse must read as negative numbers, not options (its own pattern misses -1e-3),
#: so that `--error-rate -1e-3` reaches the range check and its message.
NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


class CLIError(InputError):
    """Bad input: printed as one line `qlaci-cost: error: <message>`, exit status 2."""


def _model_names() -> tuple[str, ...]:
    from qlaci_cost.qram import MODELS

    return tuple(MODELS)


# --- sizes and models -------------------------------------------------------------------------


def add_sizes_arg(parser: argparse.ArgumentParser, default: str, what: str = "sizes N") -> None:
    """`--n SIZES`: a grid like 16,1024,2^20 or 2^4..2^40 (parsed by `sizes_from_args`)."""
    parser.add_argument(
        "--n", metavar="SIZES", default=None, help=f"{what}, e.g. 16,1024,2^20 (default {default})"
    )
    parser.set_defaults(_n_default=default)


def sizes_from_args(args: argparse.Namespace) -> list[int]:
    """The sizes of `--n` (its default when not given)."""
    from qlaci_cost.core.grids import parse_sizes

    text = args.n if args.n is not None else args._n_default
    return parse_sizes(text, "--n")


def add_models_arg(parser: argparse.ArgumentParser, option: str = "--models") -> None:
    """`--models` (alias `--qram`; `option` is the spelling shown first): a comma list of QRAM
    model names, default all."""
    other = "--qram" if option == "--models" else "--models"
    parser.add_argument(
        option,
        other,
        dest="models",
        metavar="NAMES",
        default="all",
        help=f"comma list of QRAM models (default all): {', '.join(_model_names())}",
    )
    parser.set_defaults(_models_option=option)


def formats_from_args(args: argparse.Namespace) -> list[str]:
    """The report's figure formats `--formats` names (png, pdf, svg)."""
    from qlaci_cost.core.grids import parse_names

    return parse_names(args.formats, ("png", "pdf", "svg"), "--formats")


def models_from_args(args: argparse.Namespace) -> list[str]:
    from qlaci_cost.core.grids import parse_names

    return parse_names(args.models, _model_names(), getattr(args, "_models_option", "--models"))


# --- numbers ----------------------------------------------------------------------------------


def add_bits_arg(
    parser: argparse.ArgumentParser, option: str, default: str | None, help: str
) -> None:
    """`option` (`--word-bits` or `--component-bits`) with the old spelling `--bits` still
    accepted (a notice on stderr names the new one); read with `bits_from_args`."""
    parser.add_argument(option, metavar="B", dest="bits", default=None, help=help)
    parser.add_argument("--bits", metavar="B", dest="old_bits", help=argparse.SUPPRESS)
    parser.set_defaults(_bits_option=option, _bits_default=default)


def bits_from_args(args: argparse.Namespace, rule: str = "bits per word") -> int | None:
    """The bits of `add_bits_arg` (its default when not given; None when that is None)."""
    option = args._bits_option
    if args.old_bits is not None:
        if args.bits is not None:
            raise CLIError(f"--bits {args.old_bits!r} is not allowed with {option}: give {option}")
        bits = parse_bits(args.old_bits, "--bits", rule)
        sys.stderr.write(f"{PROG}: note: --bits is the old spelling of {option}\n")
        return bits
    if args.bits is None:
        return None if args._bits_default is None else parse_bits(args._bits_default)
    return parse_bits(args.bits, option, rule)


#: A count as typed: ASCII digits only (str.isdigit also accepts '²' and '١٦').
_COUNT = re.compile(r"[0-9]{1,30}")


def parse_bits(text: str, what: str = "--bits", rule: str = "bits per word") -> int:
    """Bits: an integer >= 1."""
    stripped = str(text).strip()
    if not _COUNT.fullmatch(stripped) or int(stripped) < 1:
        raise CLIError(f"{what}: {text!r} is not allowed: {rule} must be an integer >= 1")
    return int(stripped)


def count(text: str, option: str, what: str, minimum: int = 1) -> int:
    """An integer >= minimum (CLIError naming the option otherwise)."""
    stripped = str(text).strip()
    if not _COUNT.fullmatch(stripped) or int(stripped) < minimum:
        raise CLIError(f"{option}: {text!r} is not allowed: {what} must be an integer >= {minimum}")
    return int(stripped)


def number(text: str, option: str, rule: str, ok: Callable[[float], bool]) -> float:
    """A float from the command line, or CLIError naming the option, the value and the rule."""
    try:
        value = float(str(text).strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and ok(value)):
        raise CLIError(f"{option}: {text!r} is not allowed: {rule}")
    return value


#: Smallest readout eps, R and failure probability delta accepted: every count stays
#: printable (Python prints integers of at most 4300 digits; shots ~ ln(1/delta) / eps^2 times
#: N = 2^1024 stay below that).
MIN_PROBABILITY = "1e-1000"


def _below_minimum(text: str) -> bool:
    """Whether `text` is a number in (0, MIN_PROBABILITY) (checked before any exact parse)."""
    import decimal

    try:
        value = decimal.Decimal(str(text).strip())
    except decimal.InvalidOperation:
        return False
    return value.is_finite() and 0 < value < decimal.Decimal(MIN_PROBABILITY)


def parse_delta(text: str):
    """`--delta`: a failure probability in [MIN_PROBABILITY, 1), as an exact rational."""
    import sympy

    msg = f"--delta: {text!r} is not allowed: the failure probability must be a number in (0, 1)"
    if _below_minimum(text):
        raise CLIError(f"{msg}, at least {MIN_PROBABILITY}")
    try:
        value = sympy.Rational(str(text).strip())
    except (TypeError, ValueError, SyntaxError) as exc:
        raise CLIError(msg) from exc
    if not (value.is_finite and 0 < value < 1):
        raise CLIError(msg)
    return value


# --- readout ----------------------------------------------------------------------------------

#: The one readout precision default of qlaci, qlam, estimate, plot and report: the
#: scenario's (analysis.scenario.DEFAULT_PRECISION; a test checks they are equal, this copy
#: keeps --help fast): an absolute error 0.01 on each read-out Pauli expectation, the accuracy
#: the attention output's consumer sees at every N. rel:R (eps = R / N) resolves one
#: position's 1/N share at ~N^2 more shots.
DEFAULT_PRECISION = "abs:0.01"
#: The scenario's other defaults, as the options spell them (same test).
DEFAULT_DELTA_TEXT = "0.05"
DEFAULT_WORD_BITS = "8"
DEFAULT_COMPONENT_BITS = "2"

#: Shot-count methods (as in qlaci_cost.analysis.shots.METHODS; kept here so --help is fast).
METHODS: tuple[str, ...] = ("hoeffding", "clt", "amplitude-estimation")


PRECISION_HELP = (
    f"readout precision abs:EPS or rel:R (eps = R / N), EPS, R in [{MIN_PROBABILITY}, 1) "
    f"(default {DEFAULT_PRECISION}: an absolute error on each read-out expectation at every N)"
)


def add_readout_args(parser: argparse.ArgumentParser) -> None:
    """`--precision` and `--method`."""
    parser.add_argument(
        "--precision", metavar="KIND:VALUE", default=DEFAULT_PRECISION, help=PRECISION_HELP
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="hoeffding",
        help="shots from hoeffding (default), clt or amplitude-estimation",
    )


def precision_from_args(text: str):
    from qlaci_cost.analysis.shots import parse_precision

    if _below_minimum(str(text).partition(":")[2]):
        raise CLIError(
            f"--precision: {text!r} is not allowed: EPS and R must be at least {MIN_PROBABILITY}"
        )
    try:
        return parse_precision(text)
    except ValueError as exc:
        raise CLIError(f"--precision: {exc}") from exc


def add_measurement_args(parser: argparse.ArgumentParser) -> None:
    """The readout options of one query (what produces `shots`): --precision or --shots,
    --method / --amplitude-estimation, --delta, --grouped (`measurement_from_args`)."""
    readout = parser.add_argument_group("readout (what produces `shots`)")
    how = readout.add_mutually_exclusive_group()
    how.add_argument(
        "--precision",
        metavar="KIND:VALUE",
        help=PRECISION_HELP,
    )
    how.add_argument(
        "--shots", metavar="M", help="shots per observable, an integer >= 1 (sampling only)"
    )
    readout.add_argument(
        "--method",
        choices=METHODS,
        default=None,
        help="hoeffding (default, a guarantee), clt (normal approximation), or "
        "amplitude-estimation",
    )
    readout.add_argument(
        "--amplitude-estimation",
        action="store_true",
        help="same as --method amplitude-estimation",
    )
    readout.add_argument(
        "--delta",
        default=DEFAULT_DELTA_TEXT,
        help=f"failure probability per observable, in [{MIN_PROBABILITY}, 1) (default "
        f"{DEFAULT_DELTA_TEXT})",
    )
    readout.add_argument(
        "--grouped",
        action="store_true",
        help="read all d_ctx observables from the same runs (commuting observables)",
    )


def measurement_from_args(
    args: argparse.Namespace, default_precision: str = DEFAULT_PRECISION
) -> dict:
    """precision, method, delta, shots (None: from the precision) and grouped, checked."""
    method = args.method or "hoeffding"
    if args.amplitude_estimation:
        if args.method not in (None, "amplitude-estimation"):
            raise CLIError(
                f"--amplitude-estimation is not allowed with --method {args.method}: give one"
            )
        method = "amplitude-estimation"
    shots = None
    if args.shots is not None:
        shots = count(args.shots, "--shots", "shots per observable")
        if method == "amplitude-estimation":
            raise CLIError(
                "--shots is not allowed with amplitude estimation: give --precision instead"
            )
    precision = precision_from_args(default_precision if args.precision is None else args.precision)
    if args.grouped and method == "amplitude-estimation":
        raise CLIError("--grouped is not allowed with amplitude estimation (one observable a run)")
    return {
        "precision": precision,
        "method": method,
        "delta": parse_delta(args.delta),
        "shots": shots,
        "grouped": args.grouped,
    }


# --- conventions ------------------------------------------------------------------------------

#: Rotation synthesis models (as in qlaci_cost.core.conventions.ROTATION_MODELS).
ROTATION_MODEL_NAMES: tuple[str, ...] = (
    "mixed-fallback",
    "gridsynth",
    "repeat-until-success",
    "brs-fallback",
    "qualtran-default",
)


def add_convention_args(parser: argparse.ArgumentParser) -> None:
    """`--t-per-toffoli`, `--rotation-model` and `--eps`."""
    parser.add_argument(
        "--t-per-toffoli",
        type=int,
        choices=(4, 7),
        default=4,
        help="T gates per Toffoli-class gate: 4 (Jones, default) or 7 (Selinger)",
    )
    parser.add_argument(
        "--rotation-model",
        choices=ROTATION_MODEL_NAMES,
        default="mixed-fallback",
        help="rotation synthesis model (default mixed-fallback)",
    )
    parser.add_argument(
        "--eps",
        default="1e-6",
        help="rotation synthesis precision, a number in (0, 1) (default 1e-6)",
    )


def convention_options(args: argparse.Namespace) -> dict:
    """The `add_convention_args` options, checked, as the arguments of
    `Conventions.with_t_per_toffoli` (also the conventions' key in the disk cache)."""
    eps = number(args.eps, "--eps", "eps must be a number in (0, 1)", lambda x: 0 < x < 1)
    return {"t_per_toffoli": args.t_per_toffoli, "rotation_model": args.rotation_model, "eps": eps}


def conventions_from_args(args: argparse.Namespace):
    """The `Conventions` of `add_convention_args` options (CLIError on a bad --eps)."""
    from qlaci_cost.core.conventions import Conventions

    options = convention_options(args)
    return Conventions.with_t_per_toffoli(options.pop("t_per_toffoli"), **options)


# --- surface-code model -----------------------------------------------------------------------

#: Surface-code presets (as in qlaci_cost.physical.PRESETS).
PHYSICAL_MODEL_NAMES: tuple[str, ...] = (
    "gidney-fowler",
    "gidney-fowler-optimistic",
    "beverland",
    "beverland-optimistic",
    "microsoft-like",
)


def add_physical_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("surface-code model (defaults: the model's preset)")
    group.add_argument(
        "--physical-model",
        choices=PHYSICAL_MODEL_NAMES,
        default="gidney-fowler",
        help="surface-code model and its preset values (default gidney-fowler)",
    )
    group.add_argument(
        "--error-rate",
        metavar="P",
        help="physical error rate, in (0, 1e-2] (preset 1e-3; -optimistic 1e-4)",
    )
    group.add_argument(
        "--cycle-time-us",
        metavar="US",
        help="surface-code cycle in microseconds, > 0 (preset 1; beverland 0.4)",
    )
    group.add_argument(
        "--reaction-time-us",
        metavar="US",
        help="measurement-to-next-layer reaction time in microseconds, > 0 (preset 10)",
    )
    group.add_argument(
        "--error-budget",
        metavar="EPS",
        help="total failure probability, in (0, 1) (preset 1e-2; beverland 1e-3)",
    )
    parser._negative_number_matcher = NEGATIVE_NUMBER  # argparse's attribute for this check


#: physical.estimate parameter -> (option, argparse dest, rule, check).
PHYSICAL_OPTIONS = {
    "physical_error": (
        "--error-rate",
        "error_rate",
        "the physical error rate must be a number in (0, 1e-2]",
        lambda x: 0 < x <= 1e-2,
    ),
    "cycle_time_us": (
        "--cycle-time-us",
        "cycle_time_us",
        "the cycle time must be a number of microseconds > 0",
        lambda x: x > 0,
    ),
    "reaction_time_us": (
        "--reaction-time-us",
        "reaction_time_us",
        "the reaction time must be a number of microseconds > 0",
        lambda x: x > 0,
    ),
    "error_budget": (
        "--error-budget",
        "error_budget",
        "the error budget must be a number in (0, 1)",
        lambda x: 0 < x < 1,
    ),
}


def physical_params(args: argparse.Namespace, conventions=None) -> dict[str, float]:
    """The overrides of the preset given on the command line, checked one by one and then
    together by the model itself (a one-Toffoli estimate: e.g. an error rate at the model's
    threshold fails here, before any work)."""
    from qlaci_cost.core.conventions import DEFAULT_CONVENTIONS
    from qlaci_cost.physical import estimate

    conventions = conventions or DEFAULT_CONVENTIONS

    params = {}
    for name, (option, attr, rule, ok) in PHYSICAL_OPTIONS.items():
        text = getattr(args, attr)
        if text is not None:
            params[name] = number(text, option, rule, ok)
    tiny = {"qubits": 1, "toffoli": 1, "t_count": conventions.t_per_toffoli, "toffoli_depth": 1}
    try:
        estimate(tiny, args.physical_model, conventions=conventions, **params)
    except ValueError as exc:
        given = "".join(
            f" {PHYSICAL_OPTIONS[k][0]} {getattr(args, PHYSICAL_OPTIONS[k][1])}" for k in params
        )
        raise CLIError(f"--physical-model {args.physical_model}{given}: {exc}") from exc
    return params


# --- error-budget scope and the scenario -----------------------------------------------------

#: Error-budget scopes (as in qlaci_cost.physical.scope.BUDGET_SCOPES) and the default.
BUDGET_SCOPES: tuple[str, ...] = ("run", "job")
DEFAULT_BUDGET_SCOPE = "run"


def add_budget_scope_arg(parser: argparse.ArgumentParser) -> None:
    """`--budget-scope run|job`: what the physical error budget covers."""
    parser.add_argument(
        "--budget-scope",
        choices=BUDGET_SCOPES,
        default=DEFAULT_BUDGET_SCOPE,
        help="what the error budget covers: run (default; each circuit run fails with at most "
        "min(budget, eps / 20), so failed runs bias an estimate by at most eps / 10) or job "
        "(one budget for all runs of a head); docs/derivations/error-budget.md",
    )


def add_component_bits_arg(parser: argparse.ArgumentParser) -> None:
    """`--component-bits` where `--word-bits` holds the `--bits` spelling (plot, report)."""
    parser.add_argument(
        "--component-bits",
        metavar="B",
        dest="component_bits",
        default=None,
        help=f"QLACI: bits per K/V component b >= 1 (default {DEFAULT_COMPONENT_BITS})",
    )


#: Classical machines `--hardware` accepts: the names of `analysis.roofline.HARDWARE`, kept
#: here so `--help` imports no library module (a test checks they are equal).
HARDWARE: tuple[str, ...] = ("h100", "a100", "cpu")
DEFAULT_HARDWARE = "h100"


def add_hardware_arg(parser: argparse.ArgumentParser, what: str = "classical machine") -> None:
    """`--hardware`: the classical machine of the baselines' roofline times."""
    parser.add_argument(
        "--hardware",
        choices=HARDWARE,
        default=DEFAULT_HARDWARE,
        help=f"{what} (default {DEFAULT_HARDWARE})",
    )


def add_head_scenario_args(
    parser: argparse.ArgumentParser,
    word_bits_help: str = "bits per QRAM word b >= 1 (default 8)",
    hardware_what: str = "classical machine",
) -> None:
    """The scenario's options where QRAM tables, QLACI heads and the crossover are drawn
    together (plot, report): `--word-bits`, `--component-bits`, `--precision`, `--method`,
    `--delta`, `--hardware`, the physical model's options and `--budget-scope`."""
    add_bits_arg(parser, "--word-bits", "8", word_bits_help)
    add_component_bits_arg(parser)
    add_readout_args(parser)
    parser.add_argument(
        "--delta",
        default=DEFAULT_DELTA_TEXT,
        help=f"failure probability per observable (default {DEFAULT_DELTA_TEXT})",
    )
    add_hardware_arg(parser, hardware_what)
    add_physical_args(parser)
    add_budget_scope_arg(parser)


def _readout_changes(args: argparse.Namespace) -> dict:
    """The scenario's readout fields from whichever readout options the subcommand has."""
    if hasattr(args, "shots") and hasattr(args, "grouped"):
        return measurement_from_args(args)
    out: dict = {}
    if getattr(args, "precision", None) is not None:
        out["precision"] = precision_from_args(args.precision)
    if getattr(args, "method", None) is not None:
        out["method"] = args.method
    if getattr(args, "amplitude_estimation", False):
        out["method"] = "amplitude-estimation"
    if getattr(args, "delta", None) is not None:
        out["delta"] = parse_delta(args.delta)
    return out


def scenario_from_args(args: argparse.Namespace):
    """The one `analysis.scenario.Scenario` of a subcommand's options (each option it does not
    have keeps the scenario's default), checked: a bad value is one CLIError line."""
    changes = _readout_changes(args)
    option = getattr(args, "_bits_option", None)
    if option == "--word-bits":
        bits = bits_from_args(args)
        if bits is not None:
            changes["word_bits"] = bits
    elif option == "--component-bits":
        changes["component_bits"] = bits_from_args(args, "bits per K/V component")
    if getattr(args, "component_bits", None) is not None:
        text = args.component_bits
        changes["component_bits"] = parse_bits(text, "--component-bits", "bits per K/V component")
    if hasattr(args, "t_per_toffoli"):
        changes["conventions"] = conventions_from_args(args)
    if hasattr(args, "physical_model"):
        changes["physical_model"] = args.physical_model
        changes["physical_params"] = physical_params(args, changes.get("conventions"))
    for name in ("budget_scope", "hardware"):
        if getattr(args, name, None) is not None:
            changes[name] = getattr(args, name)
    if getattr(args, "bytes_per_value", None) is not None:
        changes["bytes_per_value"] = count(args.bytes_per_value, "--bytes-per-value", "bytes")
    # Imported after the options above are read: it imports Qualtran (a bad value is quick).
    from qlaci_cost.analysis.scenario import Scenario

    try:
        return Scenario(**changes)
    except ValueError as exc:
        raise CLIError(str(exc)) from None


# --- output -----------------------------------------------------------------------------------

#: Table formats (as in qlaci_cost.output.tables.FORMATS).
FORMAT_NAMES: tuple[str, ...] = ("csv", "md", "latex", "json")


def add_output_args(parser: argparse.ArgumentParser, default_format: str = "md") -> None:
    """`--format` and `--out`."""
    parser.add_argument(
        "--format",
        choices=FORMAT_NAMES,
        default=default_format,
        help=(
            f"output format (default {default_format}). csv is plain CSV, the header first "
            "(pandas.read_csv reads it with its defaults); its conventions and notes go to "
            "stderr as '# ' lines. md prints them after the table, latex as %% comments "
            "before the tabular, json under the keys 'conventions' and 'notes'"
        ),
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="write to FILE instead of stdout (- is stdout; checked before any work, written "
        "only when everything succeeded; a new file follows the umask, an existing one keeps "
        "its mode)",
    )


def checked_out_path(out: str | None) -> str | None:
    """`--out` checked before any work: `-` (or none) is stdout; otherwise a file path in an
    existing writable directory, not a directory itself. Messages name the path as given."""
    if out is None or out == "-":
        return None
    if not out.strip():
        raise CLIError(f"--out: {out!r} is not allowed: give a file path (or - for stdout)")
    if os.path.isdir(out):
        raise CLIError(f"--out: {out!r} is a directory: give a file path (or - for stdout)")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise CLIError(f"--out: {out!r} is not allowed: its directory does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (
        os.path.exists(out) and not os.access(out, os.W_OK)
    ):
        raise CLIError(f"--out: {out!r} is not allowed: it is not writable")
    return out


def write_output(text: str, out: str | None) -> None:
    """`text` to stdout, or to `out` with `core.atomic.atomic_write` (the one single-file
    writer: a temporary file beside it, then `os.replace`; a new file gets the mode the umask
    gives, an existing one keeps its mode), so a failure never leaves a partial file."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from qlaci_cost.core.atomic import atomic_write

    try:
        atomic_write(out, text)
    except OSError as exc:
        raise CLIError(f"--out: {out!r} could not be written: {exc.strerror or exc}") from None


#: Functions told what each `emit_table` call renders (`recording`; the table cache's).
_RECORDERS: list[Callable[[dict], None]] = []


@contextlib.contextmanager
def recording(record: Callable[[dict], None]):
    """Within the block, `record` receives each `emit_table` call's inputs as a dict."""
    _RECORDERS.append(record)
    try:
        yield
    finally:
        _RECORDERS.remove(record)


def emit_table(
    rows, columns, fmt: str, notes, conventions, out: str | None, json_extra=None, scenario=None
) -> None:
    """Render a table (`output.tables.render`) to stdout or `out`; with csv, the conventions
    and notes (which plain CSV does not carry) go to stderr as `# ` lines; `json_extra` adds
    top-level keys to a json document. A `scenario` is stated once, as the first note (json:
    also the key `scenario`, its `to_dict()`)."""
    from qlaci_cost.output.tables import BIG_INTEGER_FORMAT, beyond_float, csv_notes, render

    rows, notes = list(rows), list(notes)
    for record in _RECORDERS:
        record(
            {
                "rows": rows,
                "columns": columns,
                "notes": notes,
                "conventions": conventions,
                "json_extra": json_extra,
                "scenario": scenario,
            }
        )
    if scenario is not None:
        notes = [scenario.note(), *notes]
        json_extra = {"scenario": scenario.to_dict(), **(json_extra or {})}
    rows = list(rows)
    if fmt == "csv" and beyond_float(rows, columns):
        notes = [*notes, BIG_INTEGER_FORMAT]
    text = render(rows, columns, fmt, notes, conventions)
    if fmt == "json" and json_extra:
        import json

        text = json.dumps({**json.loads(text), **json_extra}, indent=2) + "\n"
    write_output(text, out)
    if fmt == "csv":
        sys.stderr.write(csv_notes(notes, conventions))
        sys.stderr.flush()


def checked_out_dir(out: str) -> str:
    """`--out DIR` checked before any work: a directory path (not empty, not '-': files cannot
    go to stdout, not a symlink to nothing), not a file, its parent an existing directory,
    writable."""
    from qlaci_cost.output.files import FolderError, check_out_path

    if not out or not out.strip():
        raise CLIError(f"--out: {out!r} is not allowed: give a directory path")
    try:
        check_out_path(out, "--out")
    except FolderError as err:
        raise CLIError(str(err)) from None
    if os.path.exists(out) and not os.path.isdir(out):
        raise CLIError(f"--out: {out!r} is a file: give a directory (created if missing)")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise CLIError(f"--out: {out!r} is not allowed: directory {parent!r} does not exist")
    target = out if os.path.isdir(out) else parent
    if not os.access(target, os.W_OK | os.X_OK):
        raise CLIError(f"--out: {out!r} is not allowed: {target!r} is not writable")
    return out
