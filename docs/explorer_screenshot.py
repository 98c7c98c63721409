"""Regenerates docs/explorer.png, the README's picture of the what-if explorer.

The page `qlaci-cost explore` writes for the default scenario (every QRAM model, N = 2^4 ..
2^40), opened in Debian's chromium (headless, driven by Playwright as the page's tests do),
with a few assumptions moved through its controls (`MOVED`), then its first screen saved.

    python docs/explorer_screenshot.py
"""

import shutil
import sys
import tempfile
from pathlib import Path

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.output.explorer import write_explorer_folder
from qlaci_cost.qram import MODELS
from qlaci_cost.verdicts.explorer import simulated_verdicts

OUT = Path(__file__).with_name("explorer.png")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
#: The assumptions moved for the picture: CLT readout at eps = 0.05 on 1,000 QPUs at N = 2^36.
MOVED = {"N": "36", "precision": "abs:0.05", "method": "clt", "qpus": "1000", "baseline": "linear"}
READY = (
    "document.body.dataset.state === 'ready' && "
    "document.body.dataset.generation === String(window.explorer.latest())"
)


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
            for name, value in MOVED.items():
                if name in ("method", "baseline"):
                    page.select_option(f"#value-{name}", value)
                elif name == "precision":
                    kind, eps = value.split(":")
                    page.select_option("#value-precision_kind", kind)
                    page.fill("#value-precision", eps)
                    page.press("#value-precision", "Enter")
                else:
                    page.fill(f"#value-{name}", value)
                    page.press(f"#value-{name}", "Enter")
            page.wait_for_function(READY, timeout=180_000)
            page.screenshot(path=str(OUT))
            browser.close()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
