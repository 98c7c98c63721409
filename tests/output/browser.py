"""Driving Debian's chromium headless with Playwright: what the page tests
(test_html_browser.py, test_explorer_browser.py) and docs/explorer_screenshot.py share."""

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Flags a headless chromium needs here (root, no GPU, a closed network).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The explorer page has finished computing its latest knobs.
READY = (
    "document.body.dataset.state === 'ready' && "
    "document.body.dataset.generation === String(window.explorer.latest())"
)


def move_knobs(page, values: dict) -> None:
    """Move each explorer knob through its control: a select, or a text box and Enter."""
    for name, value in values.items():
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
