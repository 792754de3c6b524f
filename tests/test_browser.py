"""The step-through in a real browser: headless Chromium (Debian's chromium + chromium-driver, which
`make test` installs) opens an executed notebook exported to HTML, and the page of
`save_backward_steps`, presses next and the arrow keys, and watches the step change, with no page
error and no request leaving the machine.
"""
import contextlib
import logging
import shutil
import tempfile
from pathlib import Path

import pytest

import autograd
from graphs import micrograd_example

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[dev]' (nbformat, nbclient)")
nbclient = pytest.importorskip("nbclient", reason="pip install -e '.[dev]'")
nbconvert = pytest.importorskip("nbconvert", reason="pip install -e '.[dev]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="pip install -e '.[dev]' (selenium)")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

pytestmark = pytest.mark.slow  # make test-fast leaves these out

# Chromium's own background connections (updates, sync, QUIC probes) would fail on a machine with
# no network and fill the log; these flags switch them off, and a fresh profile keeps runs apart.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


@contextlib.contextmanager
def start_browser(javascript: bool = True, window: str = "1200,1000", performance_log: bool = False,
                  extra_flags: tuple[str, ...] = ()):
    """Headless Chromium with FLAGS (and `extra_flags`) and a fresh profile, as a context: the
    driver, quit and its profile removed on the way out. `performance_log` also records the
    network requests (to check that none left the machine)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("the browser tests need Debian's chromium and chromium-driver: `make test` "
                    "installs them when run as root, or: sudo apt-get install chromium "
                    "chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS + extra_flags:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chainrule-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={window}")
    logs = {"browser": "ALL", "performance": "ALL"} if performance_log else {"browser": "ALL"}
    options.set_capability("goog:loggingPrefs", logs)
    if not javascript:  # as a reader who blocks scripts, or a viewer that runs none
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    # the driver's path given: selenium does not look for (or download) one of its own
    session = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield session
    finally:
        session.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    with start_browser() as session:
        yield session


@pytest.fixture(scope="module")
def browser_without_javascript():
    with start_browser(javascript=False) as session:
        yield session


def open_page(browser, path: Path) -> None:
    browser.get(path.as_uri())
    browser.get_log("browser")  # start from an empty log for this page


def assert_clean(browser) -> None:
    """No page error (a SEVERE console entry: a script error, a failed load) and every resource
    the page loaded came from the file itself (no http, https or other network request)."""
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert [url for url in loaded if not url.startswith(("file:", "data:"))] == []


def counter(widget) -> str:
    return widget.find_element(By.CSS_SELECTOR, ".cr-counter").text


def current(widget) -> str:
    return widget.find_element(By.CSS_SELECTOR, ".cr-current").text


def exported_notebook(tmp_path):
    """An executed notebook with two explanations and a graph picture, exported to HTML by
    nbconvert (JupyterLab's template); the number of warnings nbconvert logged."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import autograd\n"
            "from autograd import Value\n"
            "a = Value(2.0, label='a'); b = Value(-3.0, label='b')\n"
            "L = a * b + a; L.label = 'L'\n"
            "autograd.explain(L)"),
        nbformat.v4.new_code_cell("autograd.explain(L * L)"),  # a second one on the same page
        nbformat.v4.new_code_cell("L.backward()\nautograd.draw_dot(L)"),
    ]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs[0]["data"] for cell in notebook.cells]
    assert all("text/html" in data and "text/plain" in data for data in outputs[:2])
    assert {"text/html", "image/svg+xml", "image/png"} <= set(outputs[2])
    assert outputs[0]["text/plain"].splitlines()[1] == "dL/d(a*b) = dL/dL · ∂L/∂(a*b) = 1.0 · 1.0 = 1.0"
    # JupyterLab's own export; its MathJax and require.js would come from a CDN, which this
    # offline test replaces by empty scripts (the notebook's own outputs need neither)
    exporter = nbconvert.HTMLExporter(template_name="lab", mathjax_url="data:text/javascript,",
                                      require_js_url="data:text/javascript,")
    warnings = []
    exporter.log.addHandler(handler := logging.Handler())
    handler.emit = warnings.append
    body, _ = exporter.from_notebook_node(notebook)
    exporter.log.removeHandler(handler)
    page = tmp_path / "lesson.html"
    page.write_text(body, encoding="utf-8")
    return page, [record.getMessage() for record in warnings]


def test_explain_steps_through_inline_in_an_exported_notebook(browser, tmp_path):
    page, warnings = exported_notebook(tmp_path)
    assert warnings == []  # nbconvert warned "Alternative text is missing on 3 image(s)"
    open_page(browser, page)
    assert browser.find_elements(By.CSS_SELECTOR, ".cr-rerun") == []  # replaced by the widget
    first, second = browser.find_elements(By.CSS_SELECTOR, ".chainrule-steps")
    assert counter(first) == "step 1 / 4" and counter(second) == "step 1 / 5"
    assert current(first) == "dL/dL = 1.0  (the seed: backward starts here)"
    first.find_element(By.CSS_SELECTOR, ".cr-next").click()
    assert counter(first) == "step 2 / 4"
    assert current(first) == "dL/d(a*b) = dL/dL · ∂L/∂(a*b) = 1.0 · 1.0 = 1.0"
    assert counter(second) == "step 1 / 5"  # the other explanation did not move
    # the graph follows: the box of a*b shows its gradient now, b's is still unknown
    boxes = first.find_elements(By.CSS_SELECTOR, "g.node")
    texts = [box.text.replace("\n", " ") for box in boxes]
    assert any(t.startswith("a*b data -6.0 grad 1.0") for t in texts), texts
    assert any(t.startswith("b data -3.0 grad ?") for t in texts), texts
    # arrow keys move the widget that has the focus, and only it
    second.click()
    second.send_keys(Keys.ARROW_RIGHT)
    second.send_keys(Keys.ARROW_RIGHT)
    assert counter(second) == "step 3 / 5" and counter(first) == "step 2 / 4"
    second.send_keys(Keys.ARROW_LEFT)
    assert counter(second) == "step 2 / 5"
    # the graph picture fits the page; a click shows it at its own size, a click elsewhere fits
    # it again
    picture = browser.find_element(By.CSS_SELECTOR, ".chainrule-graph img")
    assert picture.get_attribute("alt").startswith("a computation graph of 4 values and 2 ops")
    browser.set_window_size(500, 1000)
    fitted = picture.size["width"]
    picture.click()
    assert picture.size["width"] > fitted
    first.click()
    assert picture.size["width"] == fitted
    browser.set_window_size(1200, 1000)
    assert_clean(browser)


def test_an_exported_notebook_without_javascript_shows_still_pictures(browser_without_javascript,
                                                                       tmp_path):
    """Issue 20: without scripts the step-through was loose SVG text with dead buttons."""
    browser = browser_without_javascript
    page, _ = exported_notebook(tmp_path)
    open_page(browser, page)
    assert browser.find_elements(By.CSS_SELECTOR, ".chainrule-steps") == []
    assert browser.find_elements(By.CSS_SELECTOR, "button") == []
    stills = browser.find_elements(By.CSS_SELECTOR, ".cr-still img")
    lines = [p.text for p in browser.find_elements(By.CSS_SELECTOR, ".cr-rerun")]
    assert len(stills) == 2 and len(lines) == 2
    assert all(line.startswith("Re-run this cell to step through backpropagation") for line in lines)
    graph = browser.find_element(By.CSS_SELECTOR, ".chainrule-graph img")
    for img in stills + [graph]:  # every picture is there, drawn, and described
        assert browser.execute_script("return arguments[0].naturalWidth", img) > 100
        assert img.get_attribute("alt")
        assert img.size["width"] <= 1200  # scaled to the page, not off its edge


def test_the_saved_step_page_steps_through(browser, tmp_path):
    path = Path(autograd.save_backward_steps(micrograd_example(), tmp_path / "steps.html"))
    open_page(browser, path)
    (widget,) = browser.find_elements(By.CSS_SELECTOR, ".chainrule-steps")
    assert counter(widget) == "step 1 / 7"
    widget.find_element(By.CSS_SELECTOR, ".cr-next").click()
    assert counter(widget) == "step 2 / 7"
    assert current(widget) == "dL/dd = dL/dL · ∂L/∂d = 1.0 · (−2.0) = −2.0"
    # a page of its own: the arrow keys work without clicking it first
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
    assert counter(widget) == "step 7 / 7"
    assert widget.find_element(By.CSS_SELECTOR, ".cr-next").get_attribute("disabled")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    assert counter(widget) == "step 6 / 7"
    assert_clean(browser)
