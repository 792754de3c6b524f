"""The live training view in a real JupyterLab, in headless Chromium, as a student meets it.

A JupyterLab server is started on 127.0.0.1 (a free port, a random token, its settings, kernels and
runtime files in a temporary folder, the kernel being this very Python) with everything that would
reach the network switched off (news, update checks, the extension manager's PyPI lookups). The
browser opens a notebook that makes an `nn.LiveTraining`, runs it through JupyterLab's own "run all
cells" command, then uses the view: "one step" moves the step counter and the loss, a click on the
plane adds a point, play trains and pause stops, a click on a point shows its backward steps (whose
step-through works inside the view), and in manual mode a weight's slider changes the loss. No
console error, no request to anything but the server. The server is shut down at the end, whatever
happens. The screenshot of the view in the README (docs/live_view.png) is taken here.
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[dev]'")
pytest.importorskip("jupyterlab", reason="pip install -e '.[dev]' (jupyterlab)")
pytest.importorskip("anywidget", reason="pip install -e '.[dev]' (anywidget)")
webdriver = pytest.importorskip("selenium.webdriver", reason="pip install -e '.[dev]' (selenium)")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from test_browser import start_browser  # noqa: E402

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "live_view.png"
# beside tests/test_browser.py's flags: no DNS for anything but this machine (a request that tried
# to leave would fail, and the performance log below would still name it)
MORE_FLAGS = ("--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
SLOW = 180  # seconds: a loaded 2-core CI machine starts JupyterLab and a kernel slowly

NOTEBOOK_CELLS = [
    "import nn\n"
    "X, y = nn.data.make_moons(60, noise=0.1, seed=1337)\n"
    "model = nn.MLP(2, [8, 8, 1], seed=0)\n"
    "optimizer = nn.optim.SGD(model.parameters(), lr=0.3)\n"
    "weights = [name for name, _ in model.named_parameters()][:6]\n"
    "view = nn.LiveTraining(model, X, nn.data.to_signed(y), nn.HingeLoss(), optimizer,\n"
    "                       l2=1e-4, weights=weights)\n"
    "view",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_kernel_spec(data_dir: Path) -> None:
    """The kernel "python3" is this Python (the project's .venv), whatever else is installed."""
    spec = data_dir / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=ERROR"],
        "display_name": "Python 3 (chainrule tests)", "language": "python"}))


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on a notebook that shows a live view; yields (url, port, log path)."""
    root, home = tmp_path / "notebooks", tmp_path / "jupyter"
    root.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, root / "live.ipynb")
    config, data = home / "config", home / "data"
    write_kernel_spec(data)
    # JupyterLab's news and its "would you like news?" notification: off before it asks
    labconfig = config / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(data),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               MPLCONFIGDIR=str(home / "mpl"), JUPYTER_PLATFORM_DIRS="1",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.pop("MPLBACKEND", None)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True",
               "--ServerApp.log_level=WARN"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log_path = tmp_path / "jupyterlab.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)  # its own process group: killed as one
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SLOW
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited at start:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start in {SLOW} s:\n"
                                f"{log_path.read_text(errors='replace')}")
                time.sleep(0.5)
        yield f"{base}/lab/tree/live.ipynb?token={token}", port, log_path
    finally:
        try:  # kernels first (the server's shutdown stops them), then the whole process group
            request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10).close()
            server.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


@pytest.fixture
def browser():
    with start_browser(window="1400,1100", performance_log=True,
                       extra_flags=MORE_FLAGS) as session:
        session.set_page_load_timeout(SLOW)
        yield session


def wait_for(browser, condition, what: str, timeout: float = SLOW):
    try:
        return WebDriverWait(browser, timeout, poll_frequency=0.25).until(lambda _: condition())
    except TimeoutException:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


def text(view, css: str) -> str:
    return view.find_element(By.CSS_SELECTOR, css).text


def requests_made(browser) -> list[str]:
    """Every URL the page requested (HTTP and WebSocket), from Chromium's performance log."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.append(message["params"]["url"])
    return urls


def test_live_view_in_jupyterlab(jupyterlab, browser, tmp_path):
    url, port, log_path = jupyterlab
    browser.get(url)
    wait_for(browser, lambda: browser.execute_script(
        "return !!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell'))"),
        "JupyterLab to show the notebook")
    # the kernel must be up before running: then run every cell with JupyterLab's own command
    wait_for(browser, lambda: browser.execute_script(
        "const panel = window.jupyterapp.shell.currentWidget;"
        "const kernel = panel && panel.sessionContext && panel.sessionContext.session"
        "  && panel.sessionContext.session.kernel;"
        "return !!kernel && kernel.status === 'idle';"), "the kernel to start")
    browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
    view = wait_for(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".chainrule-live")
                    and browser.find_element(By.CSS_SELECTOR, ".chainrule-live"),
                    "the live view to appear")
    wait_for(browser, lambda: text(view, ".cr-lv-loss") not in ("", "loss ?"),
             "the view to show the loss")
    assert text(view, ".cr-lv-step") == "step 0"
    assert text(view, ".cr-lv-points") == "60 points"
    first_loss = text(view, ".cr-lv-loss")

    # one step: the counter moves and the loss changes
    view.find_element(By.CSS_SELECTOR, ".cr-lv-one-step").click()
    wait_for(browser, lambda: text(view, ".cr-lv-step") == "step 1", "step 1 after one step")
    wait_for(browser, lambda: text(view, ".cr-lv-loss") != first_loss, "the loss to change")

    # a click on the plane (adding a class 0 point, the default) adds a point
    plane = view.find_element(By.CSS_SELECTOR, ".cr-lv-plane")
    webdriver.ActionChains(browser).move_to_element_with_offset(plane, 40, -60).click().perform()
    wait_for(browser, lambda: text(view, ".cr-lv-points") == "61 points", "the added point")

    # play trains on by itself until pause
    view.find_element(By.CSS_SELECTOR, ".cr-lv-play").click()
    wait_for(browser, lambda: int(text(view, ".cr-lv-step").split()[1]) >= 60,
             "play to train 60 steps")
    view.find_element(By.CSS_SELECTOR, ".cr-lv-pause").click()
    wait_for(browser, lambda: view.find_element(By.CSS_SELECTOR, ".cr-lv-play").is_enabled(),
             "pause to stop")
    stopped = text(view, ".cr-lv-step")
    time.sleep(1.0)
    assert text(view, ".cr-lv-step") == stopped  # no chunk after the pause
    wait_for(browser, lambda: browser.find_elements(By.CSS_SELECTOR, ".cr-lv-network svg"),
             "the network picture")
    browser.execute_script("arguments[0].scrollIntoView()", view)
    save_screenshot(view.screenshot_as_png, tmp_path)

    # a click on that point, in "inspect" mode, shows its forward values and its backward steps,
    # the step-through of autograd.explain, whose own buttons work inside the view
    Select(view.find_element(By.CSS_SELECTOR, ".cr-lv-mode")).select_by_value("inspect")
    webdriver.ActionChains(browser).move_to_element_with_offset(plane, 40, -60).click().perform()
    steps = wait_for(browser, lambda: view.find_elements(By.CSS_SELECTOR, ".cr-lv-inspect "
                                                         ".chainrule-steps .cr-counter")
                     and view.find_element(By.CSS_SELECTOR, ".cr-lv-inspect .chainrule-steps"),
                     "the sample's backward steps")
    assert text(view, ".cr-lv-inspect-title").startswith("sample 60: x = (")
    assert view.find_elements(By.CSS_SELECTOR, ".cr-lv-inspect .cr-lv-network svg")
    total = text(steps, ".cr-counter").split(" / ")[1]
    assert text(steps, ".cr-counter") == f"step 1 / {total}"
    steps.find_element(By.CSS_SELECTOR, ".cr-next").click()
    wait_for(browser, lambda: text(steps, ".cr-counter") == f"step 2 / {total}", "the next step")
    view.find_element(By.CSS_SELECTOR, ".cr-lv-inspect-close").click()
    wait_for(browser, lambda: not view.find_elements(By.CSS_SELECTOR, ".cr-lv-inspect *"),
             "the closed sample to go")

    # manual mode: a weight's slider moves the loss
    view.find_element(By.CSS_SELECTOR, ".cr-lv-manual").click()
    wait_for(browser, lambda: view.find_element(By.CSS_SELECTOR, ".cr-lv-sliders").is_displayed()
             and not view.find_element(By.CSS_SELECTOR, ".cr-lv-one-step").is_enabled(),
             "manual mode")
    slider = view.find_element(By.CSS_SELECTOR, ".cr-lv-slider input")
    assert slider.get_attribute("data-name") == "layers.0.neurons.0.w.0"
    before = text(view, ".cr-lv-loss")
    slider.send_keys(Keys.END)  # the far right end of the slider: a large weight
    wait_for(browser, lambda: text(view, ".cr-lv-loss") != before, "the loss to follow the slider")
    assert text(view, ".cr-lv-message") == ""

    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == [], severe
    # what goes over a network (not data:, blob: or the browser's own chrome:// pages) went to
    # the server
    networked = [u for u in requests_made(browser)
                 if urlsplit(u).scheme in ("http", "https", "ws", "wss", "ftp")]
    assert networked, "the performance log saw no request at all: is it recording?"
    outside = [u for u in networked if urlsplit(u).netloc != f"127.0.0.1:{port}"]
    assert outside == [], outside


def save_screenshot(png: bytes, folder: Path) -> None:
    """The view's screenshot, kept small (96 colours are plenty for these pictures), in `folder`;
    also as docs/live_view.png (the README's) when that is missing or CHAINRULE_SCREENSHOTS=1 asks
    for a new one, so that a test run does not change the repository's files otherwise."""
    import io

    from PIL import Image

    from autograd import write_atomically

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 100_000  # the README's pictures stay small
    write_atomically(folder / "live_view.png", buffer.getvalue())
    if os.environ.get("CHAINRULE_SCREENSHOTS") == "1" or not SCREENSHOT.exists():
        write_atomically(SCREENSHOT, buffer.getvalue())
