"""`core.progress.Progress`: stage lines, the bar on a terminal, the heartbeat after a silence,
and the heartbeat around every `qlaci-cost` command."""

import io
import sys
import time

from qlaci_cost import cli
from qlaci_cost.core.progress import PROGRESS_SECONDS, Progress, heartbeat_seconds


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stages_are_lines_with_their_times_on_a_plain_stream():
    clock, stream = Clock(), io.StringIO()
    progress = Progress(stream, total=2, clock=clock, every=5)
    progress.start("tables")
    clock.now += 1.25
    progress.finish()
    progress.start("figures")
    clock.now += 3
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "[##########..........] 1/2 tables done (1.2 s)",
        "[####################] 2/2 figures done (3.0 s)",
    ]
    assert progress.timings == [("tables", 1.25), ("figures", 3.0)]


def test_a_terminal_gets_one_bar_redrawn_in_place():
    clock, stream = Clock(), Terminal()
    progress = Progress(stream, total=2, clock=clock, every=5)
    progress.start("tables")
    progress.finish()
    progress.start("figures")
    progress.finish()
    text = stream.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n") and text.count("\n") == 1


def test_the_heartbeat_names_what_runs_after_a_silence_only():
    clock, stream = Clock(), io.StringIO()
    progress = Progress(stream, label="qlaci-cost plot", clock=clock, every=5)
    progress.step("crossover")
    clock.now += 4.9
    progress.beat()
    assert stream.getvalue() == ""  # not yet silent for 5 s
    clock.now += 0.2
    progress.beat()
    assert stream.getvalue() == "qlaci-cost plot: still running: crossover (5 s elapsed)\n"
    progress.beat()  # shown just now: silent again
    assert stream.getvalue().count("\n") == 1
    clock.now += 3
    progress.mark()  # a result line was printed
    clock.now += 4
    progress.beat()
    assert stream.getvalue().count("\n") == 1


def test_zero_and_silence_turn_the_heartbeat_off(monkeypatch):
    clock, stream = Clock(), io.StringIO()
    off = Progress(stream, clock=clock, every=0)
    clock.now += 1000
    off.beat()
    quiet = Progress(stream, total=1, clock=clock, every=5)
    quiet.silence()
    quiet.start("x")
    clock.now += 1000
    quiet.beat()
    quiet.finish()
    assert stream.getvalue() == ""
    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "0")
    assert heartbeat_seconds() == 0
    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "2.5")
    assert heartbeat_seconds() == 2.5
    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "soon")
    assert heartbeat_seconds() == PROGRESS_SECONDS


def test_every_command_runs_inside_the_heartbeat(monkeypatch, capsys):
    """A command that prints nothing for longer than the heartbeat's silence gets a line on
    stderr naming it and what it runs; stdout stays its own."""
    monkeypatch.setenv("QLACI_COST_PROGRESS_SECONDS", "0.2")

    def add_parser(subparsers):
        p = subparsers.add_parser("slow", help="sleeps")

        def run(args):
            args.progress.step("thinking")
            time.sleep(0.7)
            print("done")
            return 0

        p.set_defaults(run=run)

    registry = sys.modules["qlaci_cost.cli.main"]
    monkeypatch.setattr(registry, "COMMANDS", list(registry.COMMANDS))
    registry.register(add_parser)
    assert cli.main(["slow"]) == 0
    out, err = capsys.readouterr()
    assert out == "done\n"
    lines = err.splitlines()
    assert lines and all(
        line.startswith("qlaci-cost slow: still running: thinking (") for line in lines
    )


def test_no_line_is_written_while_held():
    """`held` keeps every writer out (the figure workers fork inside it): a step from another
    thread waits and is written once the hold ends."""
    import threading

    stream = io.StringIO()
    progress = Progress(stream, every=0)
    with progress.held():
        writer = threading.Thread(target=progress.step, args=("drawing",))
        writer.start()
        writer.join(timeout=0.3)
        assert writer.is_alive() and stream.getvalue() == ""
    writer.join(timeout=5)
    assert not writer.is_alive()
