"""Progress of a long computation on stderr: the one progress helper of the package.

`Progress` shows stages as they finish (`[######..............] 3/9 claims done (11.7 s)`: a
one-line bar redrawn in place on a terminal, plain lines otherwise) and, used as a context
manager, a heartbeat: whenever nothing was shown for `PROGRESS_SECONDS`, one line naming what
runs and the time elapsed (`qlaci-cost plot: still running: crossover (12 s elapsed)`).
Every `qlaci-cost` command runs inside one (`cli.main`), so any command that runs longer than
`PROGRESS_SECONDS` says so on stderr; commands name what runs with `start`/`finish` (stages
with a bar) or `step` (a heartbeat label). Nothing goes to stdout: tables and CSV stay clean.
`QLACI_COST_PROGRESS_SECONDS` sets the heartbeat's silence in seconds (0 turns it off).
"""

import contextlib
import os
import sys
import threading
import time
from typing import Any, Callable, Optional, TextIO

__all__ = ["PROGRESS_SECONDS", "Progress", "heartbeat_seconds"]

#: A heartbeat line goes to the stream when nothing was shown for this many seconds.
PROGRESS_SECONDS = 5.0
#: The environment variable that overrides `PROGRESS_SECONDS` (0: no heartbeat).
PROGRESS_ENV = "QLACI_COST_PROGRESS_SECONDS"
_BAR = 20
_WIDTH = 78


def heartbeat_seconds() -> float:
    """`PROGRESS_SECONDS`, or the value of `QLACI_COST_PROGRESS_SECONDS` (a number of seconds
    >= 0; 0 turns the heartbeat off; anything else is ignored)."""
    text = os.environ.get(PROGRESS_ENV, "").strip()
    try:
        value = float(text)
    except ValueError:
        return PROGRESS_SECONDS
    return value if value >= 0 else PROGRESS_SECONDS


class Progress:
    """Stage lines and a heartbeat on `stream` (None: silent).

    Args:
        stream: Where to write (stderr); None writes nothing.
        total: Number of stages, for the bar (0: no bar; `stages` sets it later).
        label: Who is running (e.g. `qlaci-cost plot`), at the start of plain lines.
        every: Seconds without a line before the heartbeat writes one (default
            `heartbeat_seconds()`; 0: no heartbeat).
        clock: The clock, in seconds.
    """

    def __init__(
        self,
        stream: Optional[TextIO] = sys.stderr,
        total: int = 0,
        label: str = "",
        every: Optional[float] = None,
        clock: Callable[[], float] = time.perf_counter,
    ):
        every = heartbeat_seconds() if every is None else every
        self.stream, self.label, self.every, self.clock = stream, label, every, clock
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.total, self.done, self.stage = total, 0, ""
        self.timings: list[tuple[str, float]] = []
        self.begun = self.last = self._t = clock()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def stages(self, total: int) -> None:
        """Show a bar of `total` stages from now on."""
        self.total, self.done = total, 0

    @contextlib.contextmanager
    def held(self):
        """No line is written while inside (the heartbeat waits for the way out): a process
        forked here inherits no stream lock held halfway through a write."""
        with self._lock:
            yield

    def silence(self) -> None:
        """Write nothing from now on (`--quiet`)."""
        with self._lock:
            self.stream = None

    # --- what runs ------------------------------------------------------------------------

    def start(self, name: str) -> None:
        """Stage `name` begins (drawn on a terminal's bar; named by the heartbeat)."""
        with self._lock:
            self.stage, self._t = name, self.clock()
            if self.tty and self.total:
                self._write(self._text(f"{name} ..."))

    def finish(self) -> None:
        """The current stage ends: its time is recorded and shown."""
        with self._lock:
            seconds = self.clock() - self._t
            self.timings.append((self.stage, seconds))
            self.done += 1
            self._write(self._text(f"{self.stage} done ({seconds:.1f} s)"), final=True)

    def step(self, text: str) -> None:
        """Name what runs now; the heartbeat shows it (no line of its own)."""
        with self._lock:
            self.stage = text

    def mark(self) -> None:
        """Something was shown (e.g. a result line on stdout): the heartbeat waits again."""
        with self._lock:
            self.last = self.clock()

    def _text(self, text: str) -> str:
        if self.total:
            filled = _BAR * min(self.done, self.total) // self.total
            return f"[{'#' * filled}{'.' * (_BAR - filled)}] {self.done}/{self.total} {text}"
        return f"{self.label}: {text}" if self.label else text

    def _write(self, text: str, final: bool = False) -> None:
        """A line (plain streams: final lines only), or the bar redrawn (terminals)."""
        if self.stream is None:
            return
        if self.tty and self.total:
            end = "\n" if final and self.done >= self.total else ""
            self.stream.write("\r" + text.ljust(_WIDTH)[:_WIDTH] + end)
        elif final:
            self.stream.write(text + "\n")
        else:
            return
        self.stream.flush()
        self.last = self.clock()

    # --- heartbeat ------------------------------------------------------------------------

    def beat(self) -> None:
        """A line naming what runs when nothing was shown for `every` seconds."""
        with self._lock:
            now = self.clock()
            if self.stream is None or self.every <= 0 or now - self.last < self.every:
                return
            if self.tty and self.total:
                self._write(self._text(f"{self.stage} ... ({now - self._t:.0f} s)"))
            else:
                doing = f": {self.stage}" if self.stage else ""
                who = f"{self.label}: " if self.label else ""
                self._write(f"{who}still running{doing} ({now - self.begun:.0f} s elapsed)", True)
            self.last = now

    def _run(self) -> None:
        while not self._stop.wait(min(1.0, self.every)):
            try:
                self.beat()
            except (OSError, ValueError):  # the stream went away (a closed pipe)
                return

    def __enter__(self) -> "Progress":
        if self._thread is None and self.every > 0:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
