"""The `qlaci-cost train` subcommand: what training QLACI or QLAM costs at a task's scale."""

import argparse

from qlaci_cost.cli.args import (
    DEFAULT_DELTA_TEXT,
    DEFAULT_PRECISION,
    CLIError,
    add_budget_scope_arg,
    add_convention_args,
    add_hardware_arg,
    add_output_args,
    add_physical_args,
    checked_out_path,
    count,
    emit_table,
    number,
    scenario_from_args,
)
from qlaci_cost.cli.table_cache import cached

__all__ = ["add_parser", "run"]

FAMILIES = ("qlam", "qlaci")
#: Task presets (as in analysis.training.TASKS; kept here so `--help` imports nothing heavy).
TASKS = ("smnist", "scifar10", "gpt2-small")
#: Gradient estimators (as in analysis.gradients.ESTIMATORS).
GRADIENTS = ("parameter-shift", "finite-difference", "spsa")
#: QLAM protocols of the rows by default (as in qlam.training.TRAINING_PROTOCOLS).
QLAM_READOUTS = ("final", "every-step", "time-pooled", "query-dependent")
ALL_READOUTS = ("final", "every-step", "weak", "time-pooled", "query-dependent")
DEFAULT_TASK = {"qlam": "smnist", "qlaci": "gpt2-small"}

_EPILOG = """\
rows: one per model (QLACI: QRAM model; QLAM: readout protocol) and gradient estimator, for
ONE trained layer (QLAM: the QLAM layer; QLACI: one hybrid layer of H heads; the model's
`layers` multiply it):

  parameters               trainable circuit angles, counted in the bloqs (built with
                           symbolic angles); input_angles: per example, whose gradients
                           backpropagation needs (QLAM token angles, QLACI query angles)
  evaluations              per example: 1 forward + the estimator's evaluations (parameter
                           shift: 2 per occurrence of each angle, a QLAM ansatz angle occurs
                           in all N steps; finite differences: 2 per parameter at a finer
                           precision; SPSA: 2 per step)
  executions_per_gradient  circuit runs of one example (evaluations x runs per evaluation)
  executions_per_epoch     x training sequences; executions_total x epochs
  device_time_s            surface-code estimate of all those runs, one after another on one
                           device (scenario model and --budget-scope); device_years the same
  test_inference_s         one forward evaluation of every test sequence
  classical_time_s         the same layer trained classically on --hardware: 3 x its roofline
                           forward time (QLAM: the ssm-scan baseline; QLACI: flash attention)

Task sizes are presets (published sizes with their source), not measurements.
Derivation: docs/derivations/training.md.

examples:
  qlaci-cost train --family qlam --task smnist --epochs 1
  qlaci-cost train --family qlaci --task smnist --epochs 1 --qram bucket-brigade,ideal
  qlaci-cost train --family qlam --task scifar10 --gradient all --format csv
  qlaci-cost train --family qlaci --task gpt2-small --heads 8 --layers 6 --train-tokens 1e9
  qlaci-cost train --family qlam --readout final --gradient spsa --spsa-factor 10
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "train",
        help="training cost of a QLACI or QLAM layer at a task's scale (gradients priced)",
        description=(
            "Circuit executions per gradient, per epoch and in all, the physical estimate of\n"
            "the whole training job and the classical training time of the same layer, for\n"
            "each gradient estimator (parameter shift, finite differences, SPSA)."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--family", choices=FAMILIES, required=True, help="qlam or qlaci")
    p.add_argument(
        "--task",
        choices=TASKS,
        default=None,
        help="task preset (default smnist for qlam, gpt2-small for qlaci)",
    )
    p.add_argument(
        "--gradient",
        metavar="NAMES",
        default="parameter-shift",
        help=f"comma list of estimators, or all: {', '.join(GRADIENTS)} (default parameter-shift)",
    )
    p.add_argument("--epochs", metavar="E", default="1", help="epochs E >= 1 (default 1)")
    p.add_argument(
        "--batch-size", metavar="B", default="32", help="sequences per optimizer step (default 32)"
    )
    p.add_argument(
        "--spsa-factor",
        metavar="F",
        default="1",
        help="SPSA steps per gradient-method step, > 0 (default 1: an assumption, Spall 1992)",
    )
    p.add_argument(
        "--no-input-gradients",
        action="store_true",
        help="do not differentiate the input angles (token / query angles)",
    )
    _add_model_args(p)
    _add_scenario_args(p)
    add_output_args(p)
    p.set_defaults(run=cached(run), _models_option="--qram")  # a repeated command: its table
    return p


def _add_model_args(p: argparse.ArgumentParser) -> None:
    qlam = p.add_argument_group("qlam")
    qlam.add_argument(
        "--readout",
        metavar="NAMES",
        default=",".join(QLAM_READOUTS),
        help=f"comma list of protocols, or all (default {','.join(QLAM_READOUTS)})",
    )
    qlam.add_argument("--memory-qubits", metavar="M", default="8", help="m (default 8)")
    qlam.add_argument(
        "--query-bases", metavar="G", default="10", help="query-dependent bases (default 10)"
    )
    qlaci = p.add_argument_group("qlaci (the task's preset values by default)")
    qlaci.add_argument(
        "--qram",
        "--models",
        dest="models",
        metavar="NAMES",
        default="all",
        help="comma list of QRAM models (default all)",
    )
    qlaci.add_argument("--seq-len", metavar="N", default=None, help="tokens per sequence")
    qlaci.add_argument("--heads", metavar="H", default=None, help="heads per hybrid layer")
    qlaci.add_argument("--layers", metavar="L", default=None, help="hybrid layers")
    qlaci.add_argument("--train-tokens", metavar="T", default=None, help="training tokens")
    qlaci.add_argument("--test-tokens", metavar="T", default=None, help="test tokens")


def _add_scenario_args(p: argparse.ArgumentParser) -> None:
    readout = p.add_argument_group("readout")
    readout.add_argument(
        "--precision",
        metavar="KIND:VALUE",
        default=DEFAULT_PRECISION,
        help=f"readout precision of each output (default {DEFAULT_PRECISION}; qlam: abs only)",
    )
    readout.add_argument(
        "--delta", default=DEFAULT_DELTA_TEXT, help=f"failure probability ({DEFAULT_DELTA_TEXT})"
    )
    readout.add_argument(
        "--method",
        choices=("hoeffding", "clt", "amplitude-estimation"),
        default="hoeffding",
        help="shot rule, or amplitude estimation (default hoeffding)",
    )
    add_hardware_arg(p)
    add_physical_args(p)
    add_budget_scope_arg(p)
    add_convention_args(p)


def _names(text: str, allowed, option: str) -> list[str]:
    from qlaci_cost.core.grids import parse_names

    return parse_names(text, allowed, option)


def _tokens(text, option: str):
    if text is None:
        return None
    value = number(text, option, "a token count must be a number >= 1", lambda x: x >= 1)
    if value != int(value):
        raise CLIError(f"{option}: {text!r} is not allowed: a token count must be a whole number")
    return int(value)


def run(args: argparse.Namespace) -> int:
    from fractions import Fraction

    gradients = _names(args.gradient, GRADIENTS, "--gradient")
    epochs = count(args.epochs, "--epochs", "epochs")
    batch = count(args.batch_size, "--batch-size", "batch size")
    factor = number(
        args.spsa_factor, "--spsa-factor", "the factor must be a number > 0", lambda x: x > 0
    )
    scenario = scenario_from_args(args)
    task = _task(args)
    out = checked_out_path(args.out)
    common = dict(
        batch_size=batch, spsa_factor=Fraction(str(factor)), inputs=not args.no_input_gradients
    )
    if args.family == "qlam":
        table = _qlam(args, task, gradients, epochs, scenario, common)
    else:
        from qlaci_cost.cli.args import models_from_args
        from qlaci_cost.qlaci.training import training_rows

        table = training_rows(task, models_from_args(args), gradients, epochs, scenario, **common)
    emit_table(
        table.rows,
        table.columns,
        args.format,
        table.notes,
        scenario.conventions,
        out,
        scenario=scenario,
    )
    return 0


def _task(args: argparse.Namespace):
    from qlaci_cost.analysis.training import training_task

    def size(text, option, what):
        return None if text is None else count(text, option, what)

    return training_task(
        args.task or DEFAULT_TASK[args.family],
        sequence_length=size(args.seq_len, "--seq-len", "tokens per sequence"),
        heads=size(args.heads, "--heads", "heads"),
        layers=size(args.layers, "--layers", "hybrid layers"),
        train_tokens=_tokens(args.train_tokens, "--train-tokens"),
        test_tokens=_tokens(args.test_tokens, "--test-tokens"),
    )


def _qlam(args, task, gradients, epochs, scenario, common):
    from qlaci_cost.qlam.protocols import QLAMConfig
    from qlaci_cost.qlam.training import training_rows

    if scenario.precision.kind != "abs":
        raise CLIError(
            f"--precision: {args.precision!r} is not allowed for qlam: use abs:EPS with EPS in "
            "(0, 1) (an additive eps on each expectation)"
        )
    readouts = _names(args.readout, ALL_READOUTS, "--readout")
    config = QLAMConfig(
        m=count(args.memory_qubits, "--memory-qubits", "memory qubits M"),
        query_bases=count(args.query_bases, "--query-bases", "query bases G_q"),
    )
    return training_rows(task, readouts, gradients, epochs, config, scenario, **common)
