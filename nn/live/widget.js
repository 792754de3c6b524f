// The front end of nn.LiveTraining (an anywidget ES module: no build step, nothing fetched).
// Python owns the state and sends it as synced traits (status, curves, plane, network, weights,
// inspect); every control sends a custom message ({type: ...}) and Python answers {type: "done"}.
// Play is a chain of such requests: "play", then "chunk" after every "done" while playing.

const SVG = "http://www.w3.org/2000/svg";

function make(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function svgNode(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function formatNumber(x) {
  if (x === null || x === undefined) return "nan";
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(3) : x.toPrecision(4);
}

// Scripts put in with innerHTML do not run; the step-through (autograd.explain's HTML) needs its own.
function setHtmlWithScripts(container, text) {
  container.innerHTML = text;
  for (const old of container.querySelectorAll("script")) {
    const script = document.createElement("script");
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
}

function lossCurves(svg, curves) {
  const width = 300, height = 200, left = 46, right = 8, top = 10, bottom = 28;
  svg.replaceChildren();
  const train = (curves.train || []).filter((p) => p[1] !== null);
  const val = (curves.val || []).filter((p) => p[1] !== null);
  const all = train.concat(val);
  svg.append(svgNode("rect", {x: left, y: top, width: width - left - right,
                              height: height - top - bottom, fill: "white", stroke: "#ccc"}));
  const note = (x, y, text, anchor) => {
    const t = svgNode("text", {x, y, "font-size": 10, fill: "#555", "text-anchor": anchor || "start"});
    t.textContent = text;
    svg.append(t);
  };
  if (!all.length) {
    note(width / 2, height / 2, "no steps yet: press play or one step", "middle");
    return;
  }
  const steps = all.map((p) => p[0]), values = all.map((p) => p[1]);
  const s0 = Math.min(...steps), s1 = Math.max(s0 + 1, ...steps);
  const lo = Math.min(...values), hi = Math.max(...values);
  const log = lo > 0 && hi / lo > 50;  // a loss that spans decades is read on a log scale
  const f = (v) => (log ? Math.log10(v) : v);
  const v0 = log ? f(lo) : Math.min(0, lo), v1 = Math.max(f(hi), v0 + 1e-12);
  const px = (s) => left + (s - s0) / (s1 - s0) * (width - left - right);
  const py = (v) => top + (1 - (f(v) - v0) / (v1 - v0)) * (height - top - bottom);
  for (const [points, colour, dash, name] of [[train, "#2166ac", "", "training"],
                                               [val, "#e66101", "4 3", "validation"]]) {
    if (!points.length) continue;
    const line = svgNode("polyline", {fill: "none", stroke: colour, "stroke-width": 1.6,
      "stroke-dasharray": dash, points: points.map((p) => px(p[0]) + "," + py(p[1])).join(" ")});
    line.classList.add("cr-lv-" + name);
    svg.append(line);
  }
  note(left - 4, top + 9, formatNumber(log ? hi : v1), "end");
  note(left - 4, height - bottom, formatNumber(log ? lo : v0), "end");
  note(left, height - 10, String(s0));
  note(width - right, height - 10, String(s1), "end");
  note((left + width) / 2, height - 10, log ? "step (loss on a log scale)" : "step", "middle");
  if (val.length) note(width - right - 4, top + 12, "- - validation", "end");
}

export default {
  render({ model, el }) {
    const root = make("div", {class: "chainrule-live", tabindex: "0"});
    el.append(root);
    // -- controls ---------------------------------------------------------------------------------
    const play = make("button", {class: "cr-lv-play", type: "button", text: "▶ play"});
    const pause = make("button", {class: "cr-lv-pause", type: "button", text: "❚❚ pause"});
    const one = make("button", {class: "cr-lv-one-step", type: "button", text: "one step"});
    const lr = make("input", {class: "cr-lv-lr", type: "number", step: "any", min: "0",
                              "aria-label": "learning rate"});
    const manual = make("input", {class: "cr-lv-manual", type: "checkbox"});
    const mode = make("select", {class: "cr-lv-mode", "aria-label": "what a click on the plane does"});
    const controls = make("div", {class: "cr-lv-controls"}, play, pause, one,
      make("label", {}, "learning rate ", lr),
      make("label", {}, manual, " manual: move the weights by hand"),
      make("label", {class: "cr-lv-mode-label"}, "a click on the plane ", mode));
    const stepText = make("span", {class: "cr-lv-step", text: "step 0"});
    const lossText = make("span", {class: "cr-lv-loss", text: "loss ?"});
    const pointsText = make("span", {class: "cr-lv-points", text: ""});
    const message = make("span", {class: "cr-lv-message", role: "status"});
    const status = make("div", {class: "cr-lv-status"}, stepText, lossText, pointsText, message);
    // -- the three pictures -----------------------------------------------------------------------
    const canvas = make("canvas", {class: "cr-lv-plane", width: "300", height: "300",
      role: "img", "aria-label": "decision boundary: the plane shaded by the class the model " +
      "picks, with the training points; click to add, remove or inspect a point"});
    const planeBox = make("figure", {class: "cr-lv-panel"},
      make("figcaption", {}, "decision boundary and the training points"), canvas);
    const curves = svgNode("svg", {class: "cr-lv-curves", width: 300, height: 200,
                                   viewBox: "0 0 300 200", role: "img",
                                   "aria-label": "loss against step"});
    const curveBox = make("figure", {class: "cr-lv-panel"}, make("figcaption", {}, "loss"), curves);
    const network = make("div", {class: "cr-lv-network", role: "img",
                                 "aria-label": "the network: its neurons and weights"});
    const networkBox = make("figure", {class: "cr-lv-panel"},
                            make("figcaption", {}, "network"), network);
    const panels = make("div", {class: "cr-lv-panels"}, planeBox,
                        make("div", {class: "cr-lv-column"}, curveBox, networkBox));
    const sliders = make("div", {class: "cr-lv-sliders"});
    const inspectBox = make("div", {class: "cr-lv-inspect"});
    root.append(controls, status, panels, sliders, inspectBox);

    // Several views of one model may be on the page (a cell shown twice): the one that pressed
    // play drives the chain of chunks, named by its id; Python answers each request to its id.
    const viewId = Math.random().toString(36).slice(2);
    const send = (content) => model.send(Object.assign({id: viewId}, content));

    play.addEventListener("click", () => send({type: "play"}));
    pause.addEventListener("click", () => send({type: "pause"}));
    one.addEventListener("click", () => send({type: "step"}));
    lr.addEventListener("change", () => send({type: "lr", value: parseFloat(lr.value)}));
    manual.addEventListener("change", () => send({type: "manual", on: manual.checked}));

    // -- the plane --------------------------------------------------------------------------------
    function toData(event) {
      const plane = model.get("plane");
      const box = canvas.getBoundingClientRect();
      const fx = (event.clientX - box.left) / box.width, fy = (event.clientY - box.top) / box.height;
      const [x0, x1, y0, y1] = plane.box;
      return [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0), fx * box.width, fy * box.height, box];
    }
    function nearestPoint(event) {
      const plane = model.get("plane");
      const [, , cx, cy, box] = toData(event);
      const [x0, x1, y0, y1] = plane.box;
      let best = null, bestDistance = 12;  // pixels
      (plane.points || []).forEach((p, i) => {
        const px = (p[0] - x0) / (x1 - x0) * box.width, py = (y1 - p[1]) / (y1 - y0) * box.height;
        const d = Math.hypot(px - cx, py - cy);
        if (d < bestDistance) { best = i; bestDistance = d; }
      });
      return best;
    }
    canvas.addEventListener("click", (event) => {
      const plane = model.get("plane");
      if (!plane || !plane.box) return;
      const what = mode.value;
      if (what.startsWith("add")) {
        const [x, y] = toData(event);
        send({type: "add", x, y, cls: parseInt(what.slice(4), 10)});
      } else {
        const index = nearestPoint(event);
        if (index === null) return;
        send({type: what, index});
      }
    });
    function drawPlane() {
      const plane = model.get("plane"), status = model.get("status") || {};
      planeBox.style.display = plane && plane.n ? "" : "none";
      if (!plane || !plane.n) return;
      const colours = status.colours || ["#2166ac", "#e66101"];
      const ctx = canvas.getContext("2d");
      const n = plane.n, w = canvas.width, h = canvas.height;
      // one pixel per grid cell, then stretched smoothly over the canvas: the coarse grid that
      // keeps redraws cheap still reads as a continuous map
      const cells = document.createElement("canvas");
      cells.width = cells.height = n;
      const image = cells.getContext("2d").createImageData(n, n);
      for (let k = 0; k < n * n; k++) {
        const depth = 0.15 + 0.45 * (2 * plane.sure[k] - 1);
        const colour = colours[plane.classes[k] % colours.length];
        [1, 3, 5].forEach((i, c) => {
          const v = parseInt(colour.slice(i, i + 2), 16);
          image.data[4 * k + c] = Math.round(255 - depth * (255 - v));
        });
        image.data[4 * k + 3] = 255;
      }
      cells.getContext("2d").putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.clearRect(0, 0, w, h);
      ctx.drawImage(cells, 0, 0, n, n, 0, 0, w, h);
      const [x0, x1, y0, y1] = plane.box;
      (plane.points || []).forEach((p, i) => {
        const px = (p[0] - x0) / (x1 - x0) * w, py = (y1 - p[1]) / (y1 - y0) * h;
        ctx.beginPath();
        ctx.arc(px, py, i === plane.inspected ? 6 : 4, 0, 2 * Math.PI);
        ctx.fillStyle = colours[p[2] % colours.length];
        ctx.fill();
        ctx.lineWidth = i === plane.inspected ? 2.5 : 1;
        ctx.strokeStyle = i === plane.inspected ? "#ffd400" : "#222";
        ctx.stroke();
      });
    }

    // -- state from Python ------------------------------------------------------------------------
    function drawStatus() {
      const s = model.get("status") || {};
      stepText.textContent = "step " + (s.step ?? 0);
      lossText.textContent = "loss " + formatNumber(s.loss);
      pointsText.textContent = s.classes ? s.points + " points" : "";
      message.textContent = s.message || "";
      if (document.activeElement !== lr && s.lr !== undefined) lr.value = String(s.lr);
      manual.checked = !!s.manual;
      play.disabled = !!s.playing || !!s.manual;
      pause.disabled = !s.playing;
      one.disabled = !!s.playing || !!s.manual;
      sliders.style.display = s.manual ? "" : "none";
      if (mode.options.length !== (s.classes || 0) + 2) {
        mode.replaceChildren();
        const colours = s.colours || [];
        for (let c = 0; c < (s.classes || 0); c++) {
          const option = make("option", {value: "add " + c, text: "adds a class " + c + " point"});
          option.style.color = colours[c % colours.length];
          mode.append(option);
        }
        mode.append(make("option", {value: "remove", text: "removes a point"}));
        mode.append(make("option", {value: "inspect", text: "shows a sample's steps"}));
      }
    }
    function drawCurves() { lossCurves(curves, model.get("curves") || {}); }
    function drawNetwork() {
      const svg = model.get("network");
      network.innerHTML = svg || '<p class="cr-lv-help">(no network picture for this model)</p>';
    }
    let sliderRows = new Map();  // name -> {input, shown}: kept while the names stay the same
    function drawWeights() {
      const weights = model.get("weights") || [];
      const names = weights.map((w) => w.name).join("\n");
      if (names === Array.from(sliderRows.keys()).join("\n")) {
        for (const w of weights) {  // the same sliders: new values in place (not under a drag)
          const row = sliderRows.get(w.name);
          if (document.activeElement === row.input) continue;
          row.input.min = String(w.min);
          row.input.max = String(w.max);
          row.input.step = String((w.max - w.min) / 200);
          row.input.value = String(w.value);
          row.shown.textContent = formatNumber(w.value);
        }
        return;
      }
      sliders.replaceChildren();
      sliderRows = new Map();
      if (!weights.length) return;
      sliders.append(make("p", {class: "cr-lv-help", text: "Move a weight: the loss, the " +
        "boundary and the network follow (training is paused in manual mode)."}));
      for (const w of weights) {
        const input = make("input", {type: "range", min: String(w.min), max: String(w.max),
                                     step: String((w.max - w.min) / 200), value: String(w.value),
                                     "data-name": w.name, "aria-label": "weight " + w.name});
        const shown = make("span", {class: "cr-lv-value", text: formatNumber(w.value)});
        let last = 0;
        const sendValue = (force) => {
          shown.textContent = formatNumber(parseFloat(input.value));
          const now = Date.now();
          if (!force && now - last < 80) return;  // a drag sends at most ~12 updates a second
          last = now;
          send({type: "weight", name: w.name, value: parseFloat(input.value)});
        };
        input.addEventListener("input", () => sendValue(false));
        input.addEventListener("change", () => sendValue(true));
        sliderRows.set(w.name, {input, shown});
        sliders.append(make("label", {class: "cr-lv-slider"},
                            make("code", {text: w.name}), input, shown));
      }
    }
    function drawInspect() {
      const inspect = model.get("inspect") || {};
      if (inspect.index === undefined) {
        inspectBox.replaceChildren();
        return;
      }
      const close = make("button", {class: "cr-lv-inspect-close", type: "button",
                                    text: "✕ close"});
      close.addEventListener("click", () => send({type: "inspect", index: null}));
      const title = make("p", {class: "cr-lv-inspect-title", text: inspect.title + " "}, close);
      const net = make("div", {class: "cr-lv-network", role: "img",
                               "aria-label": "the network's forward values for this sample"});
      net.innerHTML = inspect.network || "";
      const steps = make("div", {class: "cr-lv-steps"});
      inspectBox.replaceChildren(title, net, steps);
      setHtmlWithScripts(steps, inspect.steps || "");
    }
    function onMessage(message) {
      if (message.type === "done" && message.id === viewId && message.playing) {
        send({type: "chunk"});
      } else if (message.type === "play") {  // view.play() in Python
        send({type: "play"});
      }
    }
    const listeners = [["change:status", () => { drawStatus(); drawPlane(); }],
                       ["change:curves", drawCurves], ["change:plane", drawPlane],
                       ["change:network", drawNetwork], ["change:weights", drawWeights],
                       ["change:inspect", drawInspect], ["msg:custom", onMessage]];
    for (const [name, handler] of listeners) model.on(name, handler);
    drawStatus(); drawCurves(); drawPlane(); drawNetwork(); drawWeights(); drawInspect();
    send({type: "hello"});
    return () => {
      for (const [name, handler] of listeners) model.off(name, handler);
      send({type: "pause", closing: true});  // stops play if this view was driving it
    };
  },
};
