"""The what-if explorer: `explorer.html`, one self-contained page that recomputes a report's
head verdicts in the browser as the reader moves its assumptions, and `explorer.json`, the
closed forms it evaluates (`verdicts.explorer.explorer_data`), written beside it.

The page holds everything it needs inline: the data (also in explorer.json, for tools), the
exact engine (`explorer_engine.js`: BigInt counts, exact fractions of seconds, the
gidney-fowler model transcribed) and the controls (`explorer_ui.js`, plain JavaScript, no
library). It opens from its folder with no server and no network. Its state (every knob)
lives in the URL after `#`, so a link is a scenario.
"""

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional

from qlaci_cost.analysis.scenario import Scenario, as_scenario
from qlaci_cost.core.atomic import atomic_write
from qlaci_cost.errors import InputError
from qlaci_cost.output.answer import HEADLINE_BASELINES, LEGEND, SYMBOLS
from qlaci_cost.output.files import MANIFEST, FolderError, check_out_path
from qlaci_cost.output.html import STYLE
from qlaci_cost.verdicts.explorer import EXPLORER_FORMAT, explorer_data, explorer_support

__all__ = [
    "DATA_NAME",
    "GENERATOR",
    "PAGE_NAME",
    "explorer_page",
    "explorer_payload",
    "simulation_verdicts",
    "unsupported_page",
    "write_explorer",
    "write_explorer_folder",
    "check_explorer_folder",
]

PAGE_NAME = "explorer.html"
DATA_NAME = "explorer.json"
#: The page's generator tag (`qlaci-cost explore` rewrites only a page that carries it).
GENERATOR = "qlaci-cost explorer"
#: The claim judged by simulation, not by a closed form: the page shows the report's verdict.
SIMULATED_CLAIM = "global-attention"
_HERE = Path(__file__).parent
ENGINE = _HERE / "explorer_engine.js"
UI = _HERE / "explorer_ui.js"

_PAGE_STYLE = """
body { max-width: 96rem; }
.layout { display: grid; grid-template-columns: minmax(19rem, 24rem) 1fr; gap: 1.5rem;
          align-items: start; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
#controls { position: sticky; top: 0.5rem; background: #f7f7f9; border: 1px solid #ddd;
            border-radius: 6px; padding: 0.6rem 0.8rem; font-size: 0.88rem; }
#controls h2 { margin-top: 0.2rem; font-size: 1.05rem; border: none; }
.knob { margin: 0.45rem 0 0.7rem; }
.knob label { display: block; font-weight: 600; }
.knob .row { display: flex; gap: 0.4rem; align-items: center; }
.knob input[type=range] { flex: 1; min-width: 6rem; }
.knob input[type=text] { width: 6.5rem; font: inherit; padding: 0.1rem 0.25rem; }
.knob select { font: inherit; }
.knob .why { color: #666; font-size: 0.78rem; }
.knob.invalid input[type=text] { border: 2px solid #c00; }
.knob .error { color: #c00; font-size: 0.8rem; }
.buttons { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.6rem; }
button { font: inherit; padding: 0.2rem 0.6rem; }
#status { color: #555; font-size: 0.85rem; min-height: 1.2em; }
#status.error { color: #c00; font-weight: 600; }
td.faster { background: #e6f4e6 !important; }
td.slower { background: #fbecec !important; }
td.invalid { background: #eee !important; color: #666; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #444; font-size: 0.86rem; }
""".strip()


def explorer_payload(data: Mapping[str, Any], report_link: Optional[str] = None) -> dict[str, Any]:
    """The data the page reads: `explorer_data`'s, with what the page adds (the headline
    baselines and verdict symbols of the report's answer, the link back to the report)."""
    return {
        **data,
        "page": {
            "headline": list(HEADLINE_BASELINES),
            "symbols": dict(SYMBOLS),
            "legend": LEGEND,
            "report": report_link,
        },
    }


def simulation_verdicts(claim_rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Model -> the verdict of the claim the report judges by simulation (the QLACI claim
    `global-attention`), from the claim table's rows."""
    return {r["model"]: r["verdict"] for r in claim_rows if r["key"] == SIMULATED_CLAIM}


def _script_json(payload: Mapping[str, Any]) -> str:
    """JSON safe inside a <script> element (no '<' that could close it)."""
    return json.dumps(payload, sort_keys=True).replace("<", "\\u003c")


def _head(title: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n{_PAGE_STYLE}\n</style>\n</head>\n"
    )


_BODY = """<body>
<h1>What if? One QLACI head under your assumptions</h1>
<p class="note" id="intro">Move an assumption and every number below is recomputed in your
browser from the report's closed forms, exactly as <code>qlaci-cost breakeven</code> and
<code>qlaci-cost report</code> compute it: counts as exact integers (BigInt), times as exact
fractions of seconds (shown to 3 digits). The irrational constants of the shot counts
(ln(2/&delta;), erfinv, &pi;) are carried to 120 decimals as intervals, and a count is
printed only when both ends of its interval agree. <span id="back"></span></p>
<div class="layout">
<section id="controls"><h2>Assumptions</h2><div id="knobs"></div>
<div class="buttons"><button id="reset" type="button">Reset to the report's scenario</button>
<a id="permalink" href="#">Permalink to these assumptions</a></div>
<p class="note" id="fixed"></p></section>
<section id="results">
<p id="status" role="status">Loading&hellip;</p>
<h2 id="the-answer">The answer</h2>
<p id="crossover"></p>
<h3 id="summary-title">Summary</h3>
<table id="summary"></table>
<p class="note" id="summary-note"></p>
<h3 id="matrix-title">Verdicts at N: quantum head vs classical head</h3>
<table id="matrix"></table>
<p class="note" id="matrix-note"></p>
<h3 id="claims-title">Verdicts: claims &times; QRAM models</h3>
<p class="note" id="legend"></p>
<table id="claims"></table>
<p class="note" id="claims-note"></p>
</section>
</div>
"""


def explorer_page(payload: Mapping[str, Any]) -> str:
    """The complete page for `payload` (`explorer_payload`): UTF-8 HTML, no external resource."""
    engine = ENGINE.read_text(encoding="utf-8")
    ui = UI.read_text(encoding="utf-8")
    return (
        _head("qlaci-cost explorer: what if?")
        + _BODY
        + f'<script type="application/json" id="explorer-data">{_script_json(payload)}</script>\n'
        + f"<script>\n{engine}</script>\n<script>\n{ui}</script>\n</body>\n</html>\n"
    )


def unsupported_page(reason: str, report_link: Optional[str] = None) -> str:
    """A page saying why the explorer cannot recompute this scenario (links stay valid)."""
    back = f' <a href="{html.escape(report_link)}">Back to the report</a>.' if report_link else ""
    return (
        _head("qlaci-cost explorer: not available")
        + "<body>\n<h1>What if? Not available for this scenario</h1>\n"
        + f"<p>The explorer cannot recompute this scenario: {html.escape(reason)}.{back}</p>\n"
        + "</body>\n</html>\n"
    )


def write_explorer(
    folder: "str | Path",
    models: Sequence[str],
    sizes: Iterable[int],
    scenario: Optional[Scenario] = None,
    *,
    simulation: Optional[Mapping[str, str]] = None,
    report_link: Optional[str] = None,
) -> list[str]:
    """Write explorer.html and explorer.json into `folder` (for a scenario the explorer does not
    support, a page saying why and a data file with the reason); the names written.

    Args:
        folder: An existing folder (the report's temporary folder, or `explore`'s).
        models, sizes, scenario: As the report's (`verdicts.explorer.explorer_data`).
        simulation: The `global-attention` verdict per model, from the claim table.
        report_link: The report's page, relative to `folder` (None: a standalone page).
    """
    folder = Path(folder)
    scenario = as_scenario(scenario)
    reason, data = explorer_support(scenario), None
    try:
        if not reason:
            data = explorer_data(list(models), sizes, scenario, simulation=simulation)
    except InputError as exc:
        reason = str(exc)
    if reason:
        page = unsupported_page(reason, report_link)
        (folder / PAGE_NAME).write_text(page, encoding="utf-8")
        note = {"format": EXPLORER_FORMAT, "supported": False, "reason": reason}
        (folder / DATA_NAME).write_text(json.dumps(note, sort_keys=True) + "\n", encoding="utf-8")
        return [PAGE_NAME, DATA_NAME]
    payload = explorer_payload(data, report_link)
    (folder / DATA_NAME).write_text(json.dumps(payload, sort_keys=True) + "\n", encoding="utf-8")
    (folder / PAGE_NAME).write_text(explorer_page(payload), encoding="utf-8")
    return [PAGE_NAME, DATA_NAME]


def _ours(path: Path) -> bool:
    """Whether an existing file of the explorer's names was written by the explorer."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if path.name == PAGE_NAME:
        return f'<meta name="generator" content="{GENERATOR}">' in text
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and "page" in doc and "format" in doc


def check_explorer_folder(out: "str | Path") -> Path:
    """Before any work: `out` may receive explorer.html and explorer.json. It is refused when
    it is a report's folder (`qlaci-cost report` writes its own explorer, recorded in its
    manifest) or when a file of those names there was not written by the explorer."""
    folder = check_out_path(out)
    if (folder / MANIFEST).exists():
        raise FolderError(
            f"--out {str(out)!r} is a report's folder: `qlaci-cost report` writes its explorer "
            "there; choose another folder"
        )
    for name in (PAGE_NAME, DATA_NAME):
        path = folder / name
        if path.exists() and (not path.is_file() or not _ours(path)):
            raise FolderError(
                f"--out {str(out)!r}: {name} there was not written by the explorer; move it "
                "away (or choose another folder)"
            )
    return folder


def write_explorer_folder(
    out: "str | Path",
    models: Sequence[str],
    sizes: Iterable[int],
    scenario: Optional[Scenario] = None,
    *,
    simulation: Optional[Mapping[str, str]] = None,
) -> Path:
    """explorer.html and explorer.json for `scenario` in the folder `out` (created if
    missing), each written atomically; the page's path.

    Raises:
        FolderError: `out` may not receive them (`check_explorer_folder`), checked first.
        InputError: a scenario the explorer does not support (`explorer_support`).
    """
    folder = check_explorer_folder(out)
    scenario = as_scenario(scenario)
    reason = explorer_support(scenario)
    if reason:
        raise InputError(f"scenario not supported by the explorer: {reason}")
    payload = explorer_payload(explorer_data(list(models), sizes, scenario, simulation=simulation))
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / DATA_NAME, json.dumps(payload, sort_keys=True) + "\n")
    atomic_write(folder / PAGE_NAME, explorer_page(payload))
    return folder / PAGE_NAME
