"""A network picture in a real browser (headless Chromium, as tests/test_browser.py): the SVG draws,
scales down to a narrow container and no further up than its own width, names every weight on hover,
and the PNG loads; all from the page itself, with no request leaving the machine."""
import base64
import re

import pytest

import nn

webdriver = pytest.importorskip("selenium.webdriver", reason="pip install -e '.[dev]' (selenium)")
from test_browser import assert_clean, open_page, start_browser  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium as tests/test_browser.py starts it (its flags: no network, no sandbox)."""
    with start_browser() as session:
        yield session


def untrusted(page):
    """`page` as JupyterLab shows it in an untrusted notebook: its sanitizer drops <svg> and
    <style> (neither is an allowed tag) and keeps <img> with a data: address."""
    return re.sub(r"<(svg|style)\b.*?</\1>", "", page, flags=re.S)


def box(browser, selector):
    return browser.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return [r.width, r.height];", selector)


def test_the_svg_and_png_show_in_a_page_and_fit_their_container(browser, tmp_path):
    nn.manual_seed(0)
    model = nn.MLP(2, [16, 16, 1])
    picture = nn.draw_network(model, [0.5, -0.5])
    png = base64.b64encode(picture.png).decode("ascii")
    page = tmp_path / "network.html"
    page.write_text(
        "<!doctype html><html><body>"
        f'<div id="narrow" style="width: 300px">{picture.svg}</div>'
        f'<div id="wide" style="width: 2000px">{picture.svg}</div>'
        f'<div id="model" style="width: 1000px">{model._repr_html_()}</div>'
        f'<div id="untrusted" style="width: 1000px">{untrusted(model._repr_html_())}</div>'
        f'<img id="png" src="data:image/png;base64,{png}">'
        "</body></html>", encoding="utf-8")
    open_page(browser, page)
    width, height = picture.scene.width, picture.scene.height
    narrow = box(browser, "#narrow svg")
    assert narrow[0] == pytest.approx(300, abs=1)
    assert narrow[1] == pytest.approx(300 * height / width, abs=2)  # the shape is kept
    assert box(browser, "#wide svg") == pytest.approx([width, height], abs=2)  # never blown up
    assert box(browser, "#model svg")[0] == pytest.approx(nn.draw_network(model).scene.width, abs=2)
    assert box(browser, "#model table")[1] > 50  # the table is still there, above it
    assert box(browser, "#model img") == [0, 0]  # the PNG for untrusted notebooks stays hidden
    # where <svg> and <style> are stripped, the PNG shows the picture
    assert box(browser, "#untrusted img")[0] == pytest.approx(box(browser, "#model svg")[0], abs=2)
    assert browser.execute_script("return document.querySelector('#untrusted img').naturalWidth")
    # every weight and neuron drawn and named for hovering
    counts = browser.execute_script(
        "var svg = document.querySelector('#narrow svg');"
        "return [svg.querySelectorAll('g.weight').length, svg.querySelectorAll('circle').length,"
        "        svg.querySelector('g.weight title').textContent];")
    assert counts[:2] == [2 * 16 + 16 * 16 + 16, 2 + 16 + 16 + 1]
    assert counts[2].startswith("l0.n0.w0 (layers.0.neurons.0.w.0)\nweight = ")
    natural = browser.execute_script(
        "var i = document.getElementById('png'); return [i.naturalWidth, i.naturalHeight];")
    assert natural == [round(2 * width), round(2 * height)]
    assert_clean(browser)
