// Runs tasks on the explorer engine for the tests (tests/output/test_explorer_forms.py):
// reads {"data": path of explorer.json, "tasks": [...]} on stdin, writes one result a task.
const fs = require("fs");
const path = require("path");
const E = require(path.join(__dirname, "..", "..", "qlaci_cost", "output", "explorer_engine.js"));

const rat = (q) => [q.n.toString(), q.d.toString()];
const text = (o) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null ? null : v.toString()]));

function run(data, t) {
  if (t.op === "metrics") {
    return text(
      E.queryMetrics(data, t.model, BigInt(t.N), {
        ideal_c: String(t.c === undefined ? 1 : t.c),
        ideal_k: String(t.k === undefined ? 1 : t.k),
      }),
    );
  }
  if (t.op === "readout") {
    const r = E.readout(data, BigInt(t.N), t.precision, t.method);
    return { runs: r.runs.toString(), calls: r.calls.toString() };
  }
  if (t.op === "classical") return rat(E.classicalSeconds(data, t.baseline, BigInt(t.N)));
  if (t.op === "physical") {
    const c = E.constants(data);
    const counts = Object.fromEntries(
      Object.entries(t.counts).map(([k, v]) => [k, v === null ? null : BigInt(v)]),
    );
    const a = {
      physical_error: t.params.physical_error,
      cycle_s: E.div(E.fromDecimal(t.params.cycle_time_us), E.Q(1000000n)),
      reaction_s: E.div(E.fromDecimal(t.params.reaction_time_us), E.Q(1000000n)),
      error_budget: t.params.error_budget,
      routing_overhead: E.fromDecimal(String(data.physical.routing_overhead)),
    };
    return estimateText(E.gidneyFowler(c, E.logicalInput(counts, c.conv), a, c.conv));
  }
  if (t.op === "estimate") {
    const row = E.headRow(data, t.model, BigInt(t.N), t.knobs);
    return estimateText(E.headEstimate(data, row, t.knobs));
  }
  if (t.op === "format") {
    const q = E.Q(BigInt(t.value[0]), BigInt(t.value[1]));
    const out = { quantity: E.quantityText(q), duration: E.durationText(q) };
    if (q.d === 1n) Object.assign(out, { count: E.countText(q.n), size: E.sizeText(q.n) });
    return out;
  }
  if (t.op === "claims") return E.claims(data, t.knobs);
  throw new Error("unknown task " + t.op);
}

function estimateText(e) {
  return {
    runtime_s: rat(e.runtime_s),
    valid: e.valid,
    physical_qubits: e.physical_qubits.toString(),
    code_distance: e.code_distance,
    n_factories: e.n_factories.toString(),
    factory: e.factory,
    t_per_rotation: e.t_per_rotation.toString(),
  };
}

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const data = JSON.parse(fs.readFileSync(input.data, "utf8"));
const out = input.tasks.map((t) => {
  try {
    return run(data, t);
  } catch (err) {
    return { error: String(err.message || err) };
  }
});
process.stdout.write(JSON.stringify(out));
