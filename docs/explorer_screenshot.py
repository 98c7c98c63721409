"""Regenerates docs/explorer.png, the README's picture of the what-if explorer.

The page `qlaci-cost explore` writes for the default scenario (every QRAM model, N = 2^4 ..
2^40), opened in Debian's chromium (headless, driven by Playwright as the page's tests do),
with a few assumptions moved through its controls (`MOVED`), then its first screen saved.

    python docs/explorer_screenshot.py
"""

import sys
import tempfile
from pathlib import Path

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.output.explorer import write_explorer_folder
from qlaci_cost.qram import MODELS
from qlaci_cost.verdicts.explorer import simulated_verdicts

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: tests/
from tests.output.browser import ARGS, CHROMIUM, READY, move_knobs  # noqa: E402

OUT = Path(__file__).with_name("explorer.png")
#: The assumptions moved for the picture: CLT readout at eps = 0.05 on 1,000 QPUs at N = 2^36.
MOVED = {"N": "36", "precision": "abs:0.05", "method": "clt", "qpus": "1000", "baseline": "linear"}


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        sizes = [2**k for k in range(4, 41)]
        simulation = simulated_verdicts(MODELS)
        page_path = write_explorer_folder(tmp, MODELS, sizes, Scenario(), simulation=simulation)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1050})
            page.goto(page_path.as_uri())
            page.wait_for_function(READY, timeout=120_000)
            move_knobs(page, MOVED)
            page.wait_for_function(READY, timeout=180_000)
            page.screenshot(path=str(OUT))
            browser.close()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
