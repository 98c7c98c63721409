"""index.html in a real browser: Debian's chromium driven headless by Playwright (no browser
download). Marked `browser`: `.ci/run` installs chromium when it is missing and runs these.

The page opens from its folder with no server: no console error, every image loads, every
link points at a file of the report or an anchor of the page, and the first screen holds
the answer and the summary table. Screenshots of the first screen and of one figure go to
the test's tmp folder.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from qlaci_cost.analysis.scenario import Scenario
from qlaci_cost.output.report import write_report
from tests.output.browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1280, "height": 1000}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report"
    write_report(
        out, [2**10, 2**20], ["bucket-brigade", "ideal"], Scenario(), ("png", "svg"), progress=None
    )
    return out


@pytest.fixture(scope="module")
def page(report):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium (Debian package `chromium`; .ci/run installs it)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((report / "index.html").as_uri())
        page.wait_for_load_state("load")
        page.errors = errors
        yield page
        browser.close()


def test_no_console_error_and_every_image_loads(page):
    assert page.errors == []
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.getAttribute('src'))"
    )
    assert broken == []
    assert page.evaluate("document.images.length") >= 3


def test_every_link_resolves(page, report):
    hrefs = page.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))")
    ids = set(page.evaluate("Array.from(document.querySelectorAll('[id]')).map(e => e.id)"))
    assert len(hrefs) > 20
    for href in hrefs:
        url = urlparse(href)
        if url.scheme in ("http", "https"):
            continue  # a cited source; the page works offline without it
        assert url.scheme == "", href
        if url.path:
            assert (report / unquote(url.path)).is_file(), href
        if url.fragment and not url.path:
            assert url.fragment in ids, href


def test_first_screen_holds_the_answer_and_the_summary_table(page, tmp_path):
    answer = page.locator("h2#the-answer")
    summary = page.locator("h3", has_text="Summary: one QLACI head")
    table = page.locator("h3:has-text('Summary') + table")
    assert answer.count() == 1 and summary.count() == 1 and table.count() == 1
    for element in (answer, summary, table):
        box = element.bounding_box()
        assert box is not None and box["y"] < VIEWPORT["height"], box
    text = page.locator("ul").first.inner_text()
    assert "Crossover:" in text and "not softmax attention" in text
    assert table.locator("tr").count() >= 3
    page.screenshot(path=str(tmp_path / "first-screen.png"))
    assert (tmp_path / "first-screen.png").stat().st_size > 10_000


def test_a_figure_renders(page, tmp_path):
    image = page.locator("img").first
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    image.screenshot(path=str(tmp_path / "figure.png"))
    assert (tmp_path / "figure.png").stat().st_size > 5_000
