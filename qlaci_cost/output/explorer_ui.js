/* qlaci-cost explorer page: the controls, the URL state and the tables.
 *
 * Reads the data in <script id="explorer-data"> and computes with QlaciEngine
 * (explorer_engine.js). Every knob is a slider and a text box (the text is the exact value
 * used); the knobs live in the URL after '#', so the address is a permalink. When the page
 * has finished computing, document.body.dataset.state is "ready" (the tests wait for it).
 */
(function () {
  "use strict";
  const E = window.QlaciEngine;
  const data = JSON.parse(document.getElementById("explorer-data").textContent);
  const page = data.page;
  const ranges = data.knobs.ranges;
  const STEPS = 200;
  const DEFAULTS = Object.assign({}, data.knobs.values);
  const knobs = Object.assign({}, DEFAULTS);
  let generation = 0;
  let notice = "";

  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // ---- knob specifications --------------------------------------------------------------

  const SPECS = [
    { name: "reaction_time_us", label: "Reaction time (µs)", kind: "log" },
    { name: "cycle_time_us", label: "Surface-code cycle (µs)", kind: "log" },
    { name: "physical_error", label: "Physical error rate p", kind: "log" },
    {
      name: "precision",
      label: "Readout precision (kind:eps)",
      kind: "precision",
      range: "readout_eps",
    },
    { name: "method", label: "Readout method", kind: "select", options: data.knobs.methods },
    { name: "ideal_c", label: "Ideal QRAM's c (cost c·log2(N)^k)", kind: "logint" },
    { name: "ideal_k", label: "Ideal QRAM's k", kind: "int" },
    { name: "qpus", label: "QPUs P sharing the runs", kind: "logint" },
    {
      name: "baseline",
      label: "Classical baseline of the summary",
      kind: "select",
      options: ["fastest"].concat(data.classical.order),
    },
    {
      name: "classical_efficiency",
      label: "Classical efficiency f (of the roofline)",
      kind: "log",
    },
    { name: "N", label: "Sequence length N = 2^k", kind: "int" },
  ];

  const rangeOf = (spec) => ranges[spec.range || spec.name];
  const toPosition = (spec, value) => {
    const r = rangeOf(spec);
    const x = Number(value);
    if (spec.kind === "int") return x;
    const t = (Math.log10(x) - Math.log10(r.low)) / (Math.log10(r.high) - Math.log10(r.low));
    return Math.round(Math.min(1, Math.max(0, t)) * STEPS);
  };
  const fromPosition = (spec, pos) => {
    const r = rangeOf(spec);
    if (spec.kind === "int") return String(pos);
    const t = Number(pos) / STEPS;
    const x = Math.pow(10, Math.log10(r.low) + t * (Math.log10(r.high) - Math.log10(r.low)));
    if (spec.kind === "logint")
      return String(Math.max(r.low, Math.min(r.high, Math.round(Number(x.toPrecision(2))))));
    return String(Math.min(r.high, Math.max(r.low, Number(x.toPrecision(3)))));
  };

  /** The knob's value from its text box, checked against its range: [value, error]. */
  function parseValue(spec, text) {
    text = String(text).trim();
    if (spec.kind === "select")
      return spec.options.includes(text)
        ? [text, ""]
        : [null, "choose one of " + spec.options.join(", ")];
    const r = rangeOf(spec);
    if (spec.kind === "int" || spec.kind === "logint") {
      if (!/^\d+$/.test(text)) return [null, "an integer in [" + r.low + ", " + r.high + "]"];
      const n = Number(text);
      return n >= r.low && n <= r.high
        ? [String(n), ""]
        : [null, "an integer in [" + r.low + ", " + r.high + "]"];
    }
    const x = Number(text);
    if (!/^[0-9.eE+-]+$/.test(text) || !isFinite(x) || x < r.low || x > r.high) {
      return [null, "a number in [" + r.low + ", " + r.high + "]"];
    }
    return [String(x), ""];
  }

  // ---- building the controls -----------------------------------------------------------

  const controls = {};

  function knobBox(spec) {
    const box = el("div", { class: "knob", id: "knob-" + spec.name });
    box.appendChild(el("label", { for: "value-" + spec.name }, spec.label));
    const row = el("div", { class: "row" });
    box.appendChild(row);
    const c = { box: box, spec: spec };
    if (spec.kind === "select") {
      c.input = el("select", { id: "value-" + spec.name });
      for (const o of spec.options) {
        const text = o === "fastest" ? "fastest of " + page.headline.join(", ") : o;
        c.input.appendChild(el("option", { value: o }, text));
      }
      row.appendChild(c.input);
      c.input.addEventListener("change", () => setKnob(spec, c.input.value));
    } else {
      if (spec.kind === "precision") {
        c.kind = el("select", { id: "value-precision_kind" });
        for (const k of ["abs", "rel"])
          c.kind.appendChild(
            el("option", { value: k }, k === "abs" ? "abs: eps" : "rel: eps = R/N"),
          );
        row.appendChild(c.kind);
        c.kind.addEventListener("change", () =>
          setKnob(spec, c.kind.value + ":" + knobs.precision.split(":")[1]),
        );
      }
      const r = rangeOf(spec);
      c.slider = el("input", {
        type: "range",
        id: "slider-" + spec.name,
        min: spec.kind === "int" ? r.low : 0,
        max: spec.kind === "int" ? r.high : STEPS,
        step: 1,
      });
      c.input = el("input", {
        type: "text",
        id: "value-" + spec.name,
        inputmode: "decimal",
        autocomplete: "off",
      });
      row.appendChild(c.slider);
      row.appendChild(c.input);
      c.slider.addEventListener("input", () => {
        const v = fromPosition(spec, c.slider.value);
        setKnob(spec, spec.kind === "precision" ? c.kind.value + ":" + v : v, true);
      });
      c.input.addEventListener("change", () => {
        const [v, err] = parseValue(spec, c.input.value);
        c.error.textContent = err ? "not allowed: " + err : "";
        box.classList.toggle("invalid", !!err);
        if (!err) setKnob(spec, spec.kind === "precision" ? c.kind.value + ":" + v : v);
      });
    }
    c.error = el("div", { class: "error" });
    box.appendChild(c.error);
    const why = spec.kind === "select" ? "" : rangeOf(spec).why;
    if (why) box.appendChild(el("div", { class: "why" }, "range: " + why));
    controls[spec.name] = c;
    return box;
  }

  /** Show the knobs' values in the controls. */
  function showKnobs() {
    for (const spec of SPECS) {
      const c = controls[spec.name];
      let value = knobs[spec.name];
      if (spec.kind === "precision") {
        const [kind, eps] = value.split(":");
        c.kind.value = kind;
        value = eps;
      }
      c.input.value = value;
      if (c.slider) c.slider.value = toPosition(spec, value);
      c.error.textContent = "";
      c.box.classList.remove("invalid");
    }
    controls.N.input.title = "N = 2^" + knobs.N;
  }

  function setKnob(spec, value, fromSlider) {
    knobs[spec.name] = value;
    if (fromSlider) {
      const c = controls[spec.name];
      c.input.value = spec.kind === "precision" ? value.split(":")[1] : value;
      c.error.textContent = "";
      c.box.classList.remove("invalid");
    } else {
      showKnobs();
    }
    schedule();
  }

  // ---- the URL: knobs after '#' -------------------------------------------------------------

  const hashText = () =>
    SPECS.map((s) => s.name + "=" + encodeURIComponent(knobs[s.name])).join("&");

  /** Knobs from the URL's '#' part; a value out of range is skipped with a message. */
  function readHash() {
    const text = window.location.hash.replace(/^#/, "");
    const bad = [];
    for (const part of text.split("&").filter(Boolean)) {
      const [name, raw] = part.split("=");
      const spec = SPECS.find((s) => s.name === name);
      const value = decodeURIComponent(raw || "");
      if (!spec) {
        bad.push(name);
        continue;
      }
      if (spec.kind === "precision") {
        const m = /^(abs|rel):(.+)$/.exec(value);
        const [v, err] = m ? parseValue(spec, m[2]) : [null, "abs:EPS or rel:R"];
        if (err) bad.push(name);
        else knobs.precision = m[1] + ":" + v;
        continue;
      }
      const [v, err] = parseValue(spec, value);
      if (err) bad.push(name);
      else knobs[name] = v;
    }
    return bad;
  }

  function writeHash() {
    const hash = "#" + hashText();
    document.getElementById("permalink").setAttribute("href", hash);
    if (window.location.hash !== hash) {
      try {
        window.history.replaceState(null, "", hash);
      } catch (err) {
        window.location.hash = hash;
      }
    }
  }

  // ---- tables ---------------------------------------------------------------------------

  const ratText = (q) => q.n.toString() + "/" + q.d.toString();

  function cell(row, text, attrs) {
    const td = el("td", attrs || {}, text);
    row.appendChild(td);
    return td;
  }

  function header(table, names) {
    const tr = el("tr");
    for (const n of names) tr.appendChild(el("th", {}, n));
    table.appendChild(el("thead")).appendChild(tr);
    return table.appendChild(el("tbody"));
  }

  function summaryTable(r) {
    const t = document.getElementById("summary");
    t.textContent = "";
    const base = r.baseline;
    const body = header(t, [
      "model",
      "logical qubits",
      "physical qubits",
      "in factories",
      "distance",
      "runs",
      "quantum head",
      "classical head (" + base + ")",
      "quantum / classical",
      "verdict",
      "valid",
    ]);
    for (const h of r.heads) {
      const e = h.estimate;
      const tr = el("tr", { "data-model": h.model });
      cell(tr, h.model + (h.assumed ? "†" : ""));
      cell(tr, E.countText(h.row.qubits), { class: "num", "data-exact": h.row.qubits.toString() });
      const factories = e.n_factories * e.factory_qubits;
      cell(tr, e.valid ? E.countText(e.physical_qubits) : "", {
        class: "num",
        "data-exact": e.physical_qubits.toString(),
      });
      cell(
        tr,
        e.valid && e.physical_qubits
          ? E.quantityText(E.Q(100n * factories, e.physical_qubits)) + " %"
          : "",
        { class: "num" },
      );
      cell(tr, e.valid ? String(e.code_distance) : "", {
        class: "num",
        "data-exact": String(e.code_distance),
      });
      cell(tr, E.countText(e.runs), { class: "num", "data-exact": e.runs.toString() });
      cell(tr, h.quantum_s ? E.durationText(h.quantum_s) : "", {
        class: "num quantum",
        "data-exact": h.quantum_s ? ratText(h.quantum_s) : "",
      });
      cell(tr, E.durationText(r.classical[base]), {
        class: "num classical",
        "data-exact": ratText(r.classical[base]),
      });
      const v = r.verdicts[h.model][base];
      cell(tr, v.ratio ? E.quantityText(v.ratio) : "", {
        class: "num ratio",
        "data-exact": v.ratio ? ratText(v.ratio) : "",
      });
      const word =
        v.faster === null ? "not an estimate" : v.faster ? "quantum faster" : "quantum slower";
      cell(tr, word, {
        class: v.faster === null ? "invalid" : v.faster ? "faster" : "slower",
        "data-verdict": v.faster === null ? "invalid" : v.faster ? "faster" : "slower",
      });
      cell(tr, e.valid ? "yes" : "no: " + e.invalid_reason);
      body.appendChild(tr);
    }
    document.getElementById("summary-title").textContent =
      "Summary: one QLACI head per QRAM model at N = " + E.sizeText(r.N);
  }

  function matrixTable(r) {
    const t = document.getElementById("matrix");
    t.textContent = "";
    const baselines = data.classical.order;
    const body = header(t, ["model"].concat(baselines));
    for (const h of r.heads) {
      const tr = el("tr", { "data-model": h.model });
      cell(tr, h.model + (h.assumed ? "†" : ""));
      for (const b of baselines) {
        const v = r.verdicts[h.model][b];
        const kind = v.faster === null ? "invalid" : v.faster ? "faster" : "slower";
        const text =
          v.faster === null
            ? "— not an estimate"
            : (v.faster ? "✓ " : "✗ ") + E.quantityText(v.ratio);
        cell(tr, text, {
          class: "num " + kind,
          "data-baseline": b,
          "data-verdict": kind,
          "data-exact": v.ratio ? ratText(v.ratio) : "",
        });
      }
      body.appendChild(tr);
    }
    const tr = el("tr", { "data-model": "classical" });
    cell(tr, "classical head");
    for (const b of baselines)
      cell(tr, E.durationText(r.classical[b]), {
        class: "num",
        "data-baseline": b,
        "data-exact": ratText(r.classical[b]),
      });
    body.appendChild(tr);
    document.getElementById("matrix-title").textContent =
      "Verdicts at N = " +
      E.sizeText(r.N) +
      ": quantum head vs classical head (quantum / classical)";
  }

  function claimsTable(r) {
    const t = document.getElementById("claims");
    t.textContent = "";
    const models = data.order;
    const body = header(
      t,
      ["claim"].concat(models.map((m) => m + (data.models[m].assumed ? "†" : ""))),
    );
    for (const [key, name] of data.claims.names) {
      const tr = el("tr", { "data-claim": key });
      cell(tr, name);
      for (const m of models) {
        const v = r.claims[m][key];
        cell(tr, v ? page.symbols[v] : "", { "data-model": m, "data-verdict": v || "" });
      }
      body.appendChild(tr);
    }
  }

  function notes(r) {
    const base = r.baseline;
    document.getElementById("summary-note").textContent =
      "quantum head: N queries x their runs in sequence on one machine, divided among P = " +
      knobs.qpus +
      " QPU(s) (P divides the wall clock, never the totals); classical head: " +
      base +
      "'s roofline time on " +
      data.classical.hardware_name +
      " divided by f = " +
      knobs.classical_efficiency +
      "; in factories: the magic-state factories' share of the physical qubits; an estimate " +
      "outside its error budget is not an estimate and is not compared.";
    document.getElementById("matrix-note").textContent =
      "✓ quantum faster, ✗ quantum slower (the number is quantum / classical), — no valid " +
      "estimate; the last row is each classical head's time.";
    const missing = Object.values(r.claims).some((row) => row["head-cost"] === null);
    const noSim = Object.values(r.claims).some((row) => row["global-attention"] === null);
    document.getElementById("claims-note").textContent =
      "Judged from the leading orders of the closed forms under the readout chosen " +
      "(qlaci.claims' rule)" +
      (missing
        ? "; head-cost, no-pairwise and needs-quantum are blank for this readout: the growth " +
          "of its calls per query is not known (the claim table cannot judge it either)"
        : "") +
      (noSim
        ? "; global attention is judged by a simulation in the report, not here"
        : "; global attention: the report's simulation (no knob changes it)") +
      ".";
  }

  // ---- computing ------------------------------------------------------------------------

  function status(text, error) {
    const s = document.getElementById("status");
    s.textContent = text;
    s.classList.toggle("error", !!error);
  }

  function schedule() {
    generation += 1;
    const mine = generation;
    document.body.dataset.state = "busy";
    status("computing…");
    window.setTimeout(() => compute(mine), 0);
  }

  function compute(mine) {
    if (mine !== generation) return;
    writeHash();
    const t0 = performance.now();
    let r;
    try {
      r = E.explore(data, knobs, page.headline);
    } catch (err) {
      status("not computed: " + err.message, true);
      document.body.dataset.state = "error";
      return;
    }
    summaryTable(r);
    matrixTable(r);
    claimsTable(r);
    notes(r);
    window.explorer.results = r;
    status(
      "N = " +
        E.sizeText(r.N) +
        " computed in " +
        Math.round(performance.now() - t0) +
        " ms; crossover over N = 2^" +
        ranges.N.low +
        " .. 2^" +
        knobs.N +
        "…",
    );
    window.setTimeout(() => computeCrossover(mine, t0), 0);
  }

  function computeCrossover(mine, t0) {
    if (mine !== generation) return;
    let c;
    try {
      c = E.crossover(data, knobs, page.headline);
    } catch (err) {
      status("crossover not computed: " + err.message, true);
      document.body.dataset.state = "error";
      return;
    }
    if (mine !== generation) return;
    document.getElementById("crossover").textContent = c.sentence;
    window.explorer.crossover = c;
    status(
      "computed in " +
        Math.round(performance.now() - t0) +
        " ms (" +
        data.order.length +
        " models, N = 2^" +
        ranges.N.low +
        " .. 2^" +
        knobs.N +
        ")." +
        notice,
    );
    document.body.dataset.state = "ready";
    document.body.dataset.generation = String(mine);
  }

  /** The report's values written as the text boxes write them (10.0 -> 10, 1e-06 -> 0.000001),
   * so a permalink reads back the same knobs. */
  function normalizeDefaults() {
    for (const spec of SPECS) {
      const value = DEFAULTS[spec.name];
      if (spec.kind === "precision") {
        const [kind, eps] = value.split(":");
        DEFAULTS.precision = kind + ":" + (parseValue(spec, eps)[0] || eps);
      } else if (spec.kind !== "select") {
        DEFAULTS[spec.name] = parseValue(spec, value)[0] || value;
      }
    }
    Object.assign(knobs, DEFAULTS);
  }

  function reset() {
    Object.assign(knobs, DEFAULTS);
    showKnobs();
    schedule();
  }

  // ---- start ----------------------------------------------------------------------------

  function start() {
    window.explorer = {
      knobs: knobs,
      defaults: DEFAULTS,
      engine: E,
      data: data,
      latest: () => generation,
    };
    if (data.format !== 1) {
      status("this page's data has format " + data.format + "; the page reads format 1", true);
      return;
    }
    normalizeDefaults();
    const box = document.getElementById("knobs");
    for (const spec of SPECS) box.appendChild(knobBox(spec));
    document.getElementById("reset").addEventListener("click", reset);
    document.getElementById("legend").textContent = page.legend;
    const fixed = data.scenario_lines.filter((l) => !/^readout/.test(l));
    document.getElementById("fixed").textContent =
      "Fixed by the report's scenario: " + fixed.join("; ") + ".";
    if (page.report) {
      const back = document.getElementById("back");
      back.appendChild(document.createTextNode("The report: "));
      back.appendChild(el("a", { href: page.report }, page.report));
      back.appendChild(document.createTextNode("."));
    }
    const bad = readHash();
    showKnobs();
    if (bad.length) notice = " Ignored from the address (not allowed): " + bad.join(", ") + ".";
    window.addEventListener("hashchange", () => {
      if (window.location.hash !== "#" + hashText()) {
        readHash();
        showKnobs();
        schedule();
      }
    });
    schedule();
  }

  start();
})();
