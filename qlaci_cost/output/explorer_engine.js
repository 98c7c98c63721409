/* qlaci-cost explorer engine: the report's numbers recomputed in the browser, exactly.
 *
 * Reads the data `qlaci_cost.verdicts.explorer.explorer_data` exports (explorer.json): the
 * closed forms of every QRAM model's QLACI query as JSON expression trees
 * (`qlaci_cost.symbolics.export`), the shots formulas, the classical baselines' FLOP and
 * traffic formulas, and the constants of the gidney-fowler surface-code model. It evaluates
 * them as Python does: integers and rationals as BigInt (never rounded), irrational constants
 * as intervals whose ceilings are decided only when both ends agree, and the surface-code
 * model as a transcription of `qlaci_cost/physical/gidney_fowler.py`, `budget.py`,
 * `distillation.py`, `arithmetic.py` and `scope.py` (the same float operations in the same
 * order where Python uses floats, exact rationals where it uses Fractions).
 *
 * No DOM here: the page (explorer_ui.js) and the tests (node) load the same file.
 */
(function (root) {
  "use strict";

  // ---- exact rationals (BigInt) -------------------------------------------------------

  function babs(a) {
    return a < 0n ? -a : a;
  }

  function gcd(a, b) {
    a = babs(a);
    b = babs(b);
    while (b) {
      const t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  function Q(n, d) {
    n = BigInt(n);
    d = d === undefined ? 1n : BigInt(d);
    if (d === 0n) throw new Error("division by zero");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d !== 1n) {
      const g = gcd(n, d);
      if (g > 1n) {
        n /= g;
        d /= g;
      }
    }
    return { n: n, d: d };
  }

  const ZERO = Q(0n);
  const ONE = Q(1n);
  const add = (a, b) =>
    a.d === b.d && a.d === 1n ? { n: a.n + b.n, d: 1n } : Q(a.n * b.d + b.n * a.d, a.d * b.d);
  const sub = (a, b) => add(a, { n: -b.n, d: b.d });
  const mul = (a, b) =>
    a.d === 1n && b.d === 1n ? { n: a.n * b.n, d: 1n } : Q(a.n * b.n, a.d * b.d);
  const div = (a, b) => Q(a.n * b.d, a.d * b.n);
  const cmp = (a, b) => {
    const x = a.n * b.d;
    const y = b.n * a.d;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const qmin = (a, b) => (cmp(a, b) <= 0 ? a : b);
  const qmax = (a, b) => (cmp(a, b) >= 0 ? a : b);

  function floorDiv(n, d) {
    const q = n / d;
    return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
  }

  const qfloor = (a) => floorDiv(a.n, a.d);
  const qceil = (a) => -floorDiv(-a.n, a.d);
  const isInteger = (a) => a.d === 1n;

  function qpow(a, k) {
    k = BigInt(k);
    if (k < 0n) return qpow(div(ONE, a), -k);
    return Q(a.n ** k, a.d ** k);
  }

  function bitLength(n) {
    n = babs(n);
    return n === 0n ? 0 : n.toString(2).length;
  }

  /** A decimal text (`0.01`, `1e-5`, `-2.5E+3`, `12`) as an exact rational. */
  function fromDecimal(text) {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(String(text));
    if (!m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) {
      throw new Error("not a decimal number: " + text);
    }
    const frac = m[3] || "";
    let n = BigInt((m[2] || "0") + frac);
    let exp = (m[4] ? parseInt(m[4], 10) : 0) - frac.length;
    if (m[1] === "-") n = -n;
    return exp >= 0 ? Q(n * 10n ** BigInt(exp)) : Q(n, 10n ** BigInt(-exp));
  }

  /** The exact binary value of a double (Python's Fraction(x)). */
  function fromFloatExact(x) {
    if (!isFinite(x)) throw new Error("not a finite number: " + x);
    if (x === 0) return ZERO;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const sign = hi >>> 31 ? -1n : 1n;
    const e = (hi >>> 20) & 0x7ff;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let exp;
    if (e === 0) {
      exp = -1074;
    } else {
      mant |= 1n << 52n;
      exp = e - 1075;
    }
    if (exp >= 0) return { n: sign * mant * (1n << BigInt(exp)), d: 1n };
    while (exp < 0 && (mant & 1n) === 0n) {
      mant >>= 1n;
      exp += 1;
    }
    return { n: sign * mant, d: 1n << BigInt(-exp) };
  }

  /** A double read through its shortest repr (Python's Fraction(repr(x))). */
  const fromFloatRepr = (x) => fromDecimal(String(x));

  /** The double nearest to a rational (round half to even), as Python's float(Fraction). */
  function toFloat(a) {
    if (a.n === 0n) return 0;
    const n = babs(a.n);
    const d = a.d;
    const shift = 54 - (bitLength(n) - bitLength(d));
    const num = shift >= 0 ? n << BigInt(shift) : n;
    const den = shift >= 0 ? d : d << BigInt(-shift);
    let q = num / den;
    const sticky = num % den !== 0n;
    // q has 54 or 55 bits; keep 53 (fewer below the normal range: the last bit is 2^-1074).
    const drop = Math.max(bitLength(q) - 53, shift - 1074);
    if (drop > 0) {
      const big = BigInt(drop);
      const rest = q & ((1n << big) - 1n);
      const half = 1n << (big - 1n);
      q >>= big;
      if (rest > half || (rest === half && (sticky || (q & 1n) === 1n))) q += 1n;
    }
    const e = Math.max(drop, 0) - shift;
    let value = e > 1023 ? Infinity : Number(q) * Math.pow(2, e);
    if (e < -1022 && e >= -1074) value = Number(q) * Math.pow(2, e);
    return a.n < 0n ? -value : value;
  }

  /** Python's `to_float`: float(x) below 1e300, else infinity. */
  const toFloatCapped = (a) => (cmp(a, fromFloatExact(1e300)) < 0 ? toFloat(a) : Infinity);

  /** ln of a positive rational of any size (Python's `arithmetic._ln`). */
  function lnBig(n) {
    const bits = bitLength(n);
    if (bits <= 1000) return Math.log(Number(n));
    const s = bits - 64;
    return Math.log(Number(n >> BigInt(s))) + s * Math.LN2;
  }
  const lnQ = (a) => lnBig(a.n) - lnBig(a.d);

  /** The largest double just below x (math.nextafter(x, 0) for x > 0). */
  function nextDown(x) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const bits = view.getBigUint64(0) - 1n;
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  }

  // ---- intervals and the tree evaluator -------------------------------------------------

  const exact = (q) => ({ lo: q, hi: q });
  const isExact = (v) => v.lo === v.hi || cmp(v.lo, v.hi) === 0;

  function iadd(a, b) {
    return {
      lo: add(a.lo, b.lo),
      hi: isExact(a) && isExact(b) ? add(a.lo, b.lo) : add(a.hi, b.hi),
    };
  }

  function imul(a, b) {
    if (isExact(a) && isExact(b)) return exact(mul(a.lo, b.lo));
    const c = [mul(a.lo, b.lo), mul(a.lo, b.hi), mul(a.hi, b.lo), mul(a.hi, b.hi)];
    return { lo: c.reduce(qmin), hi: c.reduce(qmax) };
  }

  function iinv(a) {
    if (a.lo.n <= 0n && a.hi.n >= 0n) throw new Error("division by an interval around 0");
    if (isExact(a)) return exact(div(ONE, a.lo));
    return { lo: div(ONE, a.hi), hi: div(ONE, a.lo) };
  }

  function ipow(a, k) {
    if (k < 0n) return ipow(iinv(a), -k);
    if (isExact(a)) return exact(qpow(a.lo, k));
    let out = exact(ONE);
    for (let i = 0n; i < k; i++) out = imul(out, a);
    return out;
  }

  /** Integer square root (floor). */
  function isqrt(n) {
    if (n < 2n) return n;
    let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
    for (;;) {
      const y = (x + n / x) >> 1n;
      if (y >= x) return x;
      x = y;
    }
  }

  /** Bounds [lo, hi] on sqrt(q), q >= 0, with relative width about 2^-400. */
  function sqrtBounds(q) {
    if (q.n < 0n) throw new Error("square root of a negative number");
    const scale = 1n << 400n;
    const s = isqrt(q.n * q.d * scale * scale);
    const lo = Q(s, q.d * scale);
    const hi = s * s === q.n * q.d * scale * scale ? lo : Q(s + 1n, q.d * scale);
    return [lo, hi];
  }

  function isqrtInterval(a) {
    const lo = sqrtBounds(a.lo)[0];
    const hi = sqrtBounds(a.hi)[1];
    return { lo: lo, hi: hi };
  }

  function decidedInteger(lo, hi, what) {
    if (lo !== hi) throw new Error("cannot decide the " + what + " (too close to an integer)");
    return exact(Q(lo));
  }

  /** log2 of an exact positive integer power of two. */
  function log2Exact(v) {
    if (!isExact(v) || !isInteger(v.lo) || v.lo.n <= 0n) throw new Error("log2 of a non-integer");
    const n = v.lo.n;
    const k = bitLength(n) - 1;
    if (n !== 1n << BigInt(k)) throw new Error("log2 of a value that is not a power of two: " + n);
    return exact(Q(BigInt(k)));
  }

  function intArg(v, what) {
    if (!isExact(v) || !isInteger(v.lo))
      throw new Error(what + " of a value that is not an integer");
    return v.lo.n;
  }

  const OPS = {
    i: (t) => exact(Q(BigInt(t[1]))),
    r: (t) => exact(Q(BigInt(t[1]), BigInt(t[2]))),
    c: (t) => {
      const v = fromDecimal(t[2]);
      const w = Q(1n, 10n ** BigInt(t[3]));
      return { lo: sub(v, w), hi: add(v, w) };
    },
    s: (t, env) => {
      if (!(t[1] in env)) throw new Error("no value for the symbol " + t[1]);
      const v = env[t[1]];
      return v.lo ? v : exact(typeof v === "object" ? v : Q(BigInt(v)));
    },
    "+": (t, env) =>
      t
        .slice(1)
        .map((a) => evaluate(a, env))
        .reduce(iadd),
    "*": (t, env) =>
      t
        .slice(1)
        .map((a) => evaluate(a, env))
        .reduce(imul),
    "^": (t, env) => {
      const base = evaluate(t[1], env);
      const e = evaluate(t[2], env);
      if (isExact(e) && isInteger(e.lo)) return ipow(base, e.lo.n);
      if (isExact(e) && e.lo.n === 1n && e.lo.d === 2n) return isqrtInterval(base);
      throw new Error("unsupported exponent");
    },
    max: (t, env) =>
      t
        .slice(1)
        .map((a) => evaluate(a, env))
        .reduce((a, b) => ({ lo: qmax(a.lo, b.lo), hi: qmax(a.hi, b.hi) })),
    min: (t, env) =>
      t
        .slice(1)
        .map((a) => evaluate(a, env))
        .reduce((a, b) => ({ lo: qmin(a.lo, b.lo), hi: qmin(a.hi, b.hi) })),
    abs: (t, env) => {
      const v = evaluate(t[1], env);
      if (v.lo.n >= 0n) return v;
      if (v.hi.n <= 0n) return { lo: { n: -v.hi.n, d: v.hi.d }, hi: { n: -v.lo.n, d: v.lo.d } };
      throw new Error("abs of an interval around 0");
    },
    mod: (t, env) => {
      const a = evaluate(t[1], env);
      const b = evaluate(t[2], env);
      if (!isExact(a) || !isExact(b)) throw new Error("mod of an inexact value");
      const q = qfloor(div(a.lo, b.lo));
      return exact(sub(a.lo, mul(b.lo, Q(q))));
    },
    floor: (t, env) => {
      const v = evaluate(t[1], env);
      return decidedInteger(qfloor(v.lo), qfloor(v.hi), "floor");
    },
    ceil: (t, env) => {
      const v = evaluate(t[1], env);
      return decidedInteger(qceil(v.lo), qceil(v.hi), "ceiling");
    },
    log2: (t, env) => log2Exact(evaluate(t[1], env)),
    flog2: (t, env) => exact(Q(BigInt(bitLength(intArg(evaluate(t[1], env), "log2")) - 1))),
    clog2: (t, env) => {
      const n = intArg(evaluate(t[1], env), "log2");
      return exact(Q(BigInt(bitLength(n - 1n))));
    },
  };

  /** The value of a tree as an interval {lo, hi} of rationals (lo === hi: exact). `env` maps
   * symbol names to BigInt, rationals {n, d} or intervals. */
  const constantNodes = new WeakMap();

  function evaluate(tree, env) {
    const kind = tree[0];
    const op = OPS[kind];
    if (!op) throw new Error("unknown node " + kind);
    if (kind === "i" || kind === "r" || kind === "c") {
      if (!constantNodes.has(tree)) constantNodes.set(tree, op(tree));
      return constantNodes.get(tree);
    }
    return op(tree, env || {});
  }

  /** The exact integer value of a tree (an error if it is not an exact integer). */
  function integer(tree, env) {
    return intArg(evaluate(tree, env), "the value");
  }

  // ---- readout: circuit runs and calls per query -----------------------------------------

  /** eps of a precision ('abs:0.01' or 'rel:0.1') at N, exact. */
  function precisionEps(precision, N) {
    const m = /^(abs|rel):(.+)$/.exec(precision);
    if (!m) throw new Error("precision " + precision + " is not allowed: use abs:EPS or rel:R");
    const value = fromDecimal(m[2]);
    if (cmp(value, ZERO) <= 0 || cmp(value, ONE) >= 0) {
      throw new Error("precision " + precision + " is not allowed: the value must be in (0, 1)");
    }
    return m[1] === "abs" ? value : div(value, Q(N));
  }

  /** {runs, calls} per query (exact BigInt) at N under the readout `method`, `precision`
   * (cached: the same for every model). */
  const readoutCache = new Map();

  function readout(data, N, precision, method) {
    const key = [N, precision, method].join(",");
    if (readoutCache.get(data) === undefined) readoutCache.set(data, new Map());
    const cache = readoutCache.get(data);
    if (!cache.has(key)) cache.set(key, computeReadout(data, N, precision, method));
    return cache.get(key);
  }

  function computeReadout(data, N, precision, method) {
    const r = data.readout;
    const forms = r.methods[method];
    if (!forms) throw new Error("method " + method + " is not allowed");
    if (r.grouped && method === "amplitude-estimation") {
      throw new Error(
        "amplitude estimation reads one observable per run: not with grouped observables",
      );
    }
    const env = { eps: exact(precisionEps(precision, N)) };
    const observables = BigInt(r.observables);
    const runs = integer(forms.runs_per_observable, env) * observables;
    const perRun = integer(forms.calls_per_run, env);
    return { runs: runs, calls: runs * perRun, eps: env.eps.lo };
  }

  // ---- one head's logical counts ---------------------------------------------------------

  const METRIC_NAMES = [
    "qubits",
    "toffoli",
    "t_count",
    "clifford",
    "rotations",
    "measurements",
    "toffoli_depth",
    "t_depth",
    "depth",
  ];

  /** Per-query metrics of `model` at N (BigInt), ideal c and k applied where the model has them. */
  function queryMetrics(data, model, N, knobs) {
    const m = data.models[model];
    const env = { N: BigInt(N) };
    for (const name of m.symbols || []) env[name] = BigInt(knobs["ideal_" + name]);
    const out = {};
    for (const name of METRIC_NAMES) out[name] = integer(m.metrics[name], env);
    return out;
  }

  /** A head row as `qlaci_cost.qlaci.head_rows.head_rows` makes it. */
  function headRow(data, model, N, knobs) {
    N = BigInt(N);
    const row = queryMetrics(data, model, N, knobs);
    const rd = readout(data, N, knobs.precision, knobs.method);
    row.model = model;
    row.N = N;
    row.shots = rd.calls;
    row.runs_per_query = rd.runs;
    row.eps = rd.eps;
    const mult = N * rd.calls;
    for (const m of [
      "toffoli",
      "t_count",
      "rotations",
      "measurements",
      "clifford",
      "toffoli_depth",
      "depth",
    ]) {
      row["total_" + m] = mult * row[m];
    }
    return row;
  }

  /** (one run's counts, runs of the head): `head_run_counts`. */
  function headRunCounts(row) {
    const perRun = row.shots / row.runs_per_query;
    const counts = {
      qubits: row.qubits,
      t_depth: perRun * row.t_depth,
      toffoli_depth: perRun * row.toffoli_depth,
    };
    for (const m of ["toffoli", "t_count", "rotations", "measurements"])
      counts[m] = perRun * row[m];
    return [counts, row.N * row.runs_per_query];
  }

  /** The whole head's counts: `head_counts`. */
  function headCounts(row) {
    return {
      qubits: row.qubits,
      toffoli: row.total_toffoli,
      t_count: row.total_t_count,
      rotations: row.total_rotations,
      measurements: row.total_measurements,
      toffoli_depth: row.total_toffoli_depth,
      t_depth: row.toffoli_depth
        ? (row.total_toffoli_depth / row.toffoli_depth) * row.t_depth
        : null,
    };
  }

  // ---- the gidney-fowler surface-code model ----------------------------------------------

  const bmax = (a, b) => (a > b ? a : b);
  const bmin = (a, b) => (a < b ? a : b);
  const ceilDiv = (a, b) => -floorDiv(-a, b);
  const qceilDiv = (a, b) => qceil(div(a, b));

  function logicalInput(counts, conv) {
    const t =
      counts.t_count -
      BigInt(conv.t_per_toffoli) * counts.toffoli -
      BigInt(conv.t_per_rotation) * counts.rotations;
    if (t < 0n) throw new Error("t_count below the conventions' T of Toffolis and rotations");
    return {
      qubits: counts.qubits,
      toffoli: counts.toffoli,
      t: t,
      rotations: counts.rotations,
      toffoli_depth: counts.toffoli_depth,
      t_per_rotation: BigInt(conv.t_per_rotation),
      t_depth: counts.t_depth === undefined ? null : counts.t_depth,
    };
  }

  function splitBudget(budget, rotations, magic) {
    if (rotations) {
      const third = div(budget, Q(3n));
      return { logical: third, distillation: third, rotations: third };
    }
    if (magic)
      return { logical: div(budget, Q(2n)), distillation: div(budget, Q(2n)), rotations: ZERO };
    return { logical: budget, distillation: ZERO, rotations: ZERO };
  }

  function tPerRotation(model, eps) {
    if (model.slope === 0) return Math.max(1, Math.ceil(model.offset));
    const value = model.slope * Math.log2(1 / eps) + model.offset;
    return Math.max(1, Math.ceil(value));
  }

  function rotationSynthesis(c, conv, share, rotations) {
    if (!rotations) return [null, 0n];
    const model = conv.synthesis;
    const ratio = div(share, Q(rotations));
    if (cmp(ratio, c.tiny) > 0) {
      const eps = toFloat(ratio);
      return [eps, BigInt(tPerRotation(model, eps))];
    }
    if (model.slope === 0) return [ratio, BigInt(Math.max(1, Math.ceil(model.offset)))];
    const bits = (lnBig(rotations) - lnQ(share)) / Math.LN2;
    return [ratio, BigInt(Math.max(1, Math.ceil(model.slope * bits + model.offset)))];
  }

  function reactionLayers(x, tRot, depthR) {
    if (!x.rotations) return x.toffoli_depth;
    let layers = x.toffoli_depth + depthR * (tRot - 1n);
    if (x.t_depth !== null && x.t_per_rotation) {
      layers = bmin(layers, ceilDiv(x.t_depth * bmax(tRot, x.t_per_rotation), x.t_per_rotation));
    }
    return layers;
  }

  /** Qualtran's p_L(d) = scaler (p / threshold)^((d + 1) / 2), a float. */
  const lem = (qec, p, d) => qec.scaler * Math.pow(p / qec.threshold, (d + 1) / 2);

  function ccz2tError(qec, p, l1, l2) {
    const l0 = p + 100 * lem(qec, p, Math.floor(l1 / 2));
    const l1err = 1000 * lem(qec, p, l1) + 100 * lem(qec, p, l1) + 35 * Math.pow(l0, 3);
    return 1000 * lem(qec, p, l2) + 28 * Math.pow(l1err, 2);
  }

  const ccz2tQubits = (l1, l2) => 6 * (4 * 8 * 2 * l1 * l1) + 4 * 8 * 2 * l2 * l2;

  const ccz2tCache = new Map();

  /** Qualtran's CCZ2T grid at error rate p: (l1, l2, l2 error exact, spacetime volume). */
  function ccz2tCandidates(c, p) {
    if (ccz2tCache.has(p)) return ccz2tCache.get(p);
    const out = [];
    const g = c.ccz2t;
    for (let l1 = g.l1_start; l1 < g.l1_stop; l1 += 2) {
      for (let l2 = l1 + 2; l2 < g.l2_stop; l2 += 2) {
        const err = fromFloatExact(ccz2tError(c.qec, p, l1, l2));
        out.push({
          l1: l1,
          l2: l2,
          err: err,
          volume: ccz2tQubits(l1, l2) * Math.max(2 * l1 + 1, l2),
        });
      }
    }
    ccz2tCache.set(p, out);
    return out;
  }

  /** The CCZ2T design of least spacetime whose error over `states` fits `share`, else the
   * design of lowest error (`gidney_fowler._choose_ccz2t`). */
  function chooseCCZ2T(c, p, states, share) {
    let best = null;
    let lowest = null;
    const left = share.n;
    for (const f of ccz2tCandidates(c, p)) {
      const fits = f.err.n * states * share.d <= left * f.err.d;
      if (fits && (best === null || f.volume < best.volume)) best = f;
      if (lowest === null) lowest = f;
      else {
        const order = cmp(f.err, lowest.err);
        if (order < 0 || (order === 0 && f.volume < lowest.volume)) lowest = f;
      }
    }
    return best !== null ? [best, true] : [lowest, false];
  }

  function supplyCCZ2T(qec, p, f, nCcz, nT) {
    const cat = ceilDiv(nT, 2n);
    const states = nCcz + cat;
    const period = BigInt(Math.max(2 * f.l1 + 1, f.l2));
    const single = qceil(Q((11n * states + 2n * cat) * period, 2n));
    return {
      name: "CCZ2T(l1=" + f.l1 + ", l2=" + f.l2 + ")",
      qubits: BigInt(ccz2tQubits(f.l1, f.l2)),
      states: states,
      single_cycles: single,
      error: mul(f.err, Q(states)),
      latency_cycles: 11n * period,
      ccz2t: f,
    };
  }

  function supplyFifteen(f, tStates, cycle) {
    const runs = ceilDiv(tStates, f.output_states);
    const runCycles = qceilDiv(f.duration, cycle);
    return {
      name: describeFactory(f),
      qubits: f.qubits,
      states: tStates,
      single_cycles: runs * runCycles,
      error: mul(fromFloatExact(f.output_error), Q(tStates)),
      latency_cycles: runCycles,
      fifteen: f,
    };
  }

  function magicStateSupply(c, a, conv, shares, nCcz, nT) {
    const p = a.physical_error;
    const states = nCcz + ceilDiv(nT, 2n);
    const [factory, ok] = chooseCCZ2T(c, p, states, shares.distillation);
    let supply = supplyCCZ2T(c.qec, p, factory, nCcz, nT);
    let reason = "";
    if (!ok) {
      const tStates = BigInt(conv.t_per_toffoli) * nCcz + nT;
      const target = toFloatCapped(div(shares.distillation, Q(tStates)));
      const found = findFactories(c, p, target, a.cycle_s);
      if (found.length) {
        supply = supplyFifteen(found[0], tStates, a.cycle_s);
      } else {
        reason =
          "no supported factory reaches the needed error (CCZ2T nor up to 5 rounds of " +
          "15-to-1 with distances <= " +
          c.max_factory_distance +
          ")";
      }
    }
    return [supply, reason];
  }

  function schedule(a, supply, reactionTime) {
    const reactionCycles = qceilDiv(reactionTime, a.cycle_s);
    let nF;
    if (supply.states === 0n) nF = 0n;
    else if (reactionCycles === 0n)
      throw new Error("toffoli_depth=0 with magic states: not allowed in automatic mode");
    else nF = ceilDiv(supply.single_cycles, reactionCycles);
    const factoryCycles = nF ? ceilDiv(supply.single_cycles, nF) : 0n;
    const latency = nF ? supply.latency_cycles : 0n;
    return {
      n_factories: nF,
      factory_cycles: factoryCycles,
      latency_cycles: latency,
      reaction_cycles: reactionCycles,
      runtime_cycles: bmax(factoryCycles, latency + reactionCycles),
    };
  }

  /** Python's `QECScheme.code_distance_from_budget` through `arithmetic.code_distance_for`. */
  function codeDistance(c, p, budget, cells) {
    cells = bmax(cells, 1n);
    const perCell = div(budget, Q(cells));
    let r;
    if (cmp(perCell, c.tiny) > 0) {
      r = Math.log(toFloat(perCell) / c.qec.scaler) / Math.log(p / c.qec.threshold);
    } else {
      r = (lnQ(budget) - lnBig(cells) - Math.log(c.qec.scaler)) / Math.log(p / c.qec.threshold);
    }
    const d = 2 * Math.ceil(r) - 1;
    return d < 3 ? 3 : d;
  }

  /** p_L(d) as an exact rational (`arithmetic.p_logical`). */
  function pLogical(qec, p, d) {
    const value = qec.scaler * Math.pow(p / qec.threshold, (d + 1) / 2);
    if (value > 1e-280) return fromFloatExact(value);
    const ratio = div(fromFloatExact(p), fromFloatExact(qec.threshold));
    return mul(fromFloatExact(qec.scaler), qpow(ratio, BigInt(Math.floor((d + 1) / 2))));
  }

  /** One estimate of the gidney-fowler model: `gidney_fowler_estimate`. */
  function gidneyFowler(c, x, a, conv) {
    const p = a.physical_error;
    if (p >= c.qec.threshold)
      throw new Error("physical_error=" + p + " is not allowed: at the code threshold");
    const budget = fromFloatRepr(a.error_budget);
    const shares = splitBudget(
      budget,
      x.rotations > 0n,
      x.toffoli > 0n || x.t > 0n || x.rotations > 0n,
    );
    const [epsRot, tRot] = rotationSynthesis(c, conv, shares.rotations, x.rotations);
    const nCcz = x.toffoli;
    const nT = x.t + x.rotations * tRot;
    const depthR = bmin(x.rotations, x.toffoli_depth);
    const layers = reactionLayers(x, tRot, depthR);
    const [supply, reason0] = magicStateSupply(c, a, conv, shares, nCcz, nT);
    const s = schedule(a, supply, mul(Q(layers), a.reaction_s));
    const tiles = qceil(mul(add(ONE, a.routing_overhead), Q(x.qubits)));
    const rotError = x.rotations ? shares.rotations : ZERO;
    let dataBudget = sub(sub(budget, supply.error), rotError);
    if (cmp(dataBudget, ZERO) <= 0) dataBudget = shares.logical;
    const d = codeDistance(c, p, dataBudget, tiles * s.runtime_cycles);
    const dd = BigInt(d);
    const physicalQubits = s.n_factories * supply.qubits + 2n * dd * dd * tiles;
    const exactFailures = add(
      add(mul(Q(tiles * s.runtime_cycles), pLogical(c.qec, p, d)), supply.error),
      rotError,
    );
    let reason = reason0;
    if (!reason && cmp(exactFailures, budget) > 0)
      reason = "expected failures exceed the budget " + a.error_budget;
    return {
      physical_qubits: physicalQubits,
      code_distance: d,
      n_factories: s.n_factories,
      factory: supply.name,
      factory_qubits: supply.qubits,
      magic_states: supply.states,
      runtime_cycles: s.runtime_cycles,
      runtime_s: mul(Q(s.runtime_cycles), a.cycle_s),
      valid: !reason,
      invalid_reason: reason,
      t_per_rotation: tRot,
      rotation_eps: epsRot,
    };
  }

  // ---- multi-round 15-to-1 factories: `physical/distillation.py` -------------------------

  const unitError = (pIn, clifford) => 35 * Math.pow(pIn, 3) + 7.1 * clifford;
  const unitFailure = (pIn, clifford) => 15 * pIn + 356 * clifford;
  const pLogicalUnit = (p, d, scaler, threshold) =>
    scaler * Math.pow(p / threshold, Math.floor((d + 1) / 2));

  function units(c, p, cycle) {
    const measurement = div(cycle, Q(4n));
    const physical = c.units.map((u, k) => ({
      name: u[0],
      kind: k,
      distance: 1,
      qubits: BigInt(u[1]),
      duration: mul(Q(BigInt(u[2])), measurement),
      clifford: p,
    }));
    const logical = {};
    for (let d = 3; d <= c.max_factory_distance; d += 2) {
      logical[d] = c.units.map((u, k) => ({
        name: u[0],
        kind: k,
        distance: d,
        qubits: BigInt(u[3] * 2 * d * d),
        duration: mul(Q(BigInt(u[4] * d)), cycle),
        clifford: pLogicalUnit(p, d, c.qec.scaler, c.qec.threshold),
      }));
    }
    return [physical, logical];
  }

  function unitErrors(seq, pT) {
    const out = [];
    let pIn = pT;
    for (const u of seq) {
      const pOut = unitError(pIn, u.clifford);
      const q = unitFailure(pIn, u.clifford);
      if (pOut > pIn || !(0 < q && q < 1)) return null;
      out.push([pIn, pOut, q]);
      pIn = pOut;
    }
    return out;
  }

  /** log Gamma by Lanczos (g = 7, 9 terms). */
  function lgamma(x) {
    const g = [
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
      -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7,
    ];
    x -= 1;
    let a = g[0];
    const t = x + 7.5;
    for (let i = 1; i < 9; i++) a += g[i] / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** The smallest k with P(Binomial(n, s) <= k) >= q (scipy's binom.ppf), summed from 40
   * standard deviations below the mean (the mass below is under 1e-300). */
  function binomPpf(q, n, s) {
    const f = 1 - s;
    const lns = Math.log(s);
    const lnf = Math.log(f);
    const base = lgamma(n + 1);
    const start = Math.max(0, Math.floor(n * s - 40 * Math.sqrt(n * s * f) - 10));
    let cdf = 0;
    for (let k = start; k <= n; k++) {
      cdf += Math.exp(base - lgamma(k + 1) - lgamma(n - k + 1) + k * lns + (n - k) * lnf);
      if (cdf >= q) return k;
    }
    return n;
  }

  function unitsFor(c, needed, failure, confidence) {
    const outputs = (n) => binomPpf(confidence, n, 1 - failure);
    let hi = needed;
    while (outputs(hi) < needed) {
      hi *= 2;
      if (hi >= c.max_units) return null;
    }
    let lo = Math.max(needed, Math.floor(hi / 2));
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (outputs(mid) >= needed) hi = mid;
      else lo = mid + 1;
    }
    return [hi, outputs(hi)];
  }

  function buildFactory(c, seq, pT) {
    const errors = unitErrors(seq, pT);
    if (errors === null) return null;
    const confidence = c.run_failure / seq.length;
    const counts = new Array(seq.length).fill(0);
    let needed = 1;
    let final = null;
    for (let i = seq.length - 1; i >= 0; i--) {
      const found = unitsFor(c, needed, errors[i][2], confidence);
      if (found === null) return null;
      counts[i] = found[0];
      if (final === null) final = found[1];
      needed = 15 * found[0];
    }
    const rounds = seq.map((u, i) => ({
      unit: u,
      units: counts[i],
      p_in: errors[i][0],
      p_out: errors[i][1],
    }));
    let qubits = 0n;
    let duration = ZERO;
    for (const r of rounds) {
      qubits = bmax(qubits, BigInt(r.units) * r.unit.qubits);
      duration = add(duration, r.unit.duration);
    }
    const out = BigInt(final);
    return {
      rounds: rounds,
      output_states: out,
      qubits: qubits,
      duration: duration,
      output_error: rounds[rounds.length - 1].p_out,
      normalized_qubits: Q(qubits, out),
      normalized_volume: div(mul(Q(qubits), duration), Q(out)),
    };
  }

  function describeFactory(f) {
    const inner = f.rounds.map(
      (r) =>
        r.units +
        " x " +
        r.unit.name +
        " (" +
        (r.unit.distance === 1 ? "physical" : "d=" + r.unit.distance) +
        ")",
    );
    return f.rounds.length + "-round 15-to-1 [" + inner.join(" -> ") + "]";
  }

  function* combinations(items, r, start) {
    if (r === 0) {
      yield [];
      return;
    }
    for (let i = start || 0; i < items.length; i++) {
      for (const rest of combinations(items, r - 1, i)) yield [items[i]].concat(rest);
    }
  }

  function* product(kinds, r) {
    if (r === 0) {
      yield [];
      return;
    }
    for (const k of kinds) for (const rest of product(kinds, r - 1)) yield [k].concat(rest);
  }

  function* sequences(c, physical, logical, nRounds) {
    let ds = Object.keys(logical)
      .map(Number)
      .sort((a, b) => a - b);
    if (nRounds > c.max_rounds) ds = ds.filter((_, i) => i % 3 === 0);
    const kinds = c.units.map((_, k) => k);
    for (const firstPhysical of [true, false]) {
      const nLogical = firstPhysical ? nRounds - 1 : nRounds;
      for (const dists of combinations(ds, nLogical)) {
        for (const names of product(kinds, nRounds)) {
          if (firstPhysical) {
            yield [physical[names[0]]].concat(dists.map((d, i) => logical[d][names[i + 1]]));
          } else {
            yield dists.map((d, i) => logical[d][names[i]]);
          }
        }
      }
    }
  }

  const seqKey = (seq) => seq.map((u) => u.distance + ":" + u.kind).join("|");

  /** The keys of the sequences with one round's distance lowered by one step (distances
   * kept non-decreasing): `distillation._has_cheaper`'s candidates. */
  function cheaperKeys(seq, logical) {
    const out = [];
    for (let i = 0; i < seq.length; i++) {
      const u = seq[i];
      if (u.distance < 5) continue;
      const lower = u.distance - 2;
      if (i > 0 && seq[i - 1].distance > lower) continue;
      out.push(seqKey(seq.slice(0, i).concat([logical[lower][u.kind]], seq.slice(i + 1))));
    }
    return out;
  }

  function byKeys(keys) {
    return (a, b) => {
      for (const k of keys) {
        const c = cmp(k(a), k(b));
        if (c) return c;
      }
      return 0;
    };
  }

  function pareto(found) {
    const pts = found.slice().sort(byKeys([(f) => f.normalized_qubits, (f) => f.duration]));
    const front = [];
    let bestTime = null;
    for (const f of pts) {
      if (bestTime === null || cmp(f.duration, bestTime) < 0) {
        front.push(f);
        bestTime = f.duration;
      }
    }
    return front.sort(byKeys([(f) => f.normalized_volume, (f) => f.duration]));
  }

  const spaces = new Map();

  /** The factories' search space at (p, cycle): the units, and per number of rounds every
   * unit sequence whose rounds all improve, with its output error (independent of the
   * target, so computed once). */
  function searchSpace(c, p, cycle) {
    const key = [p, cycle.n, cycle.d].join(",");
    if (!spaces.has(key)) {
      const [physical, logical] = units(c, p, cycle);
      spaces.set(key, {
        physical: physical,
        logical: logical,
        rounds: {},
        built: new Map(),
        results: new Map(),
      });
    }
    return spaces.get(key);
  }

  function roundSequences(c, space, p, nRounds) {
    if (!space.rounds[nRounds]) {
      const out = [];
      for (const seq of sequences(c, space.physical, space.logical, nRounds)) {
        const errors = unitErrors(seq, p);
        if (errors !== null)
          out.push({ seq: seq, key: seqKey(seq), p_out: errors[errors.length - 1][1] });
      }
      space.rounds[nRounds] = out;
    }
    return space.rounds[nRounds];
  }

  /** Pareto-optimal 15-to-1 factories meeting `target` (`distillation.find_factories`). */
  function findFactories(c, p, target, cycle) {
    const space = searchSpace(c, p, cycle);
    if (space.results.has(target)) return space.results.get(target);
    let floor = p;
    const all = Object.values(space.logical).flat();
    if (all.length) floor = Math.min(...all.map((u) => u.clifford));
    let found = [];
    if (!(target < 7.1 * floor)) {
      for (let nRounds = 1; nRounds <= c.max_extra_rounds; nRounds++) {
        if (nRounds > c.max_rounds && found.length) break;
        const minimal = roundSequences(c, space, p, nRounds).filter((e) => e.p_out <= target);
        const meets = new Set(minimal.map((e) => e.key));
        for (const e of minimal) {
          if (e.cheaper === undefined) e.cheaper = cheaperKeys(e.seq, space.logical);
          if (e.cheaper.some((k) => meets.has(k))) continue;
          if (!space.built.has(e.key)) space.built.set(e.key, buildFactory(c, e.seq, p));
          const f = space.built.get(e.key);
          if (f !== null) found.push(f);
        }
      }
      found = pareto(found);
    }
    space.results.set(target, found);
    return found;
  }

  // ---- budget scope and the head's estimate ---------------------------------------------

  /** `scope.run_error_budget`: the largest float whose repr is <= min(budget,
   * share eps / range). */
  function runErrorBudget(c, eps, budget) {
    const bound = div(mul(c.bias_share, eps), Q(BigInt(c.pauli_range)));
    const b = fromFloatRepr(budget);
    const x = cmp(bound, b) < 0 ? bound : b;
    let value = toFloat(x);
    while (value > 0 && cmp(fromFloatRepr(value), x) > 0) value = nextDown(value);
    return value;
  }

  /** The physical assumptions of the knobs (the preset's values, the knobs' overrides). */
  function assumptions(data, knobs, errorBudget) {
    const ph = data.physical;
    const cycle = fromDecimal(knobs.cycle_time_us);
    const reaction = fromDecimal(knobs.reaction_time_us);
    return {
      physical_error: Number(knobs.physical_error),
      cycle_s: div(cycle, Q(10n ** 6n)),
      reaction_s: div(reaction, Q(10n ** 6n)),
      error_budget: errorBudget === undefined ? Number(ph.defaults.error_budget) : errorBudget,
      routing_overhead: fromFloatRepr(Number(ph.routing_overhead)),
    };
  }

  function constants(data) {
    if (data._constants) return data._constants;
    const ph = data.physical;
    const conv = ph.conventions;
    data._constants = {
      qec: { scaler: ph.qec.scaler, threshold: ph.qec.threshold },
      tiny: fromDecimal(ph.tiny),
      ccz2t: ph.ccz2t_grid,
      units: ph.units,
      max_factory_distance: ph.max_factory_distance,
      run_failure: ph.run_failure,
      max_rounds: ph.max_rounds,
      max_extra_rounds: ph.max_extra_rounds,
      max_units: ph.max_units,
      bias_share: fromDecimal(ph.bias_share),
      pauli_range: ph.pauli_range,
      conv: {
        t_per_toffoli: conv.t_per_toffoli,
        t_per_rotation: conv.t_per_rotation,
        synthesis: { slope: conv.rotation_slope, offset: conv.rotation_offset },
      },
    };
    return data._constants;
  }

  /** The physical estimate of one head row (`head_estimate`), with the head's runtime. */
  function headEstimate(data, row, knobs) {
    const c = constants(data);
    if (data.physical.budget_scope === "job") {
      const a = assumptions(data, knobs);
      const e = gidneyFowler(c, logicalInput(headCounts(row), c.conv), a, c.conv);
      e.runs = 1n;
      e.run_runtime_s = e.runtime_s;
      return e;
    }
    const [run, runs] = headRunCounts(row);
    const budget = runErrorBudget(c, row.eps, Number(data.physical.defaults.error_budget));
    const a = assumptions(data, knobs, budget);
    const e = gidneyFowler(c, logicalInput(run, c.conv), a, c.conv);
    e.run_runtime_s = e.runtime_s;
    e.runtime_s = mul(e.runtime_s, Q(runs));
    e.runtime_cycles = e.runtime_cycles * runs;
    e.runs = runs;
    return e;
  }

  // ---- classical baselines ---------------------------------------------------------------

  /** Roofline seconds of one head of `baseline` at N: max(FLOPs / peak, bytes / bandwidth). */
  function classicalSeconds(data, baseline, N) {
    const cl = data.classical;
    const b = cl.baselines[baseline];
    if (!b) throw new Error("unknown baseline " + baseline);
    const env = { N: BigInt(N) };
    const flops = evaluate(b.flops, env).lo;
    const bytes = evaluate(b.bytes, env).lo;
    return qmax(div(flops, fromDecimal(cl.peak_flops)), div(bytes, fromDecimal(cl.bandwidth)));
  }

  // ---- numbers for people: `qlaci_cost/core/numbers.py` -----------------------------

  const pow10 = (k) => 10n ** BigInt(k);

  /** (M, e) with |x| ~ M 10^(e - digits + 1), M an integer of `digits` digits, rounded half
   * to even from the exact value. */
  function significant(x, digits) {
    const n = babs(x.n);
    const d = x.d;
    let e = n.toString().length - d.toString().length;
    if (cmp(Q(n, d), e >= 0 ? Q(pow10(e)) : Q(1n, pow10(-e))) < 0) e -= 1;
    const shift = digits - 1 - e;
    const scaled = shift >= 0 ? Q(n * pow10(shift), d) : Q(n, d * pow10(-shift));
    let m = qfloor(scaled);
    const rest = sub(scaled, Q(m));
    const c = cmp(rest, Q(1n, 2n));
    if (c > 0 || (c === 0 && m % 2n === 1n)) m += 1n;
    if (m === pow10(digits)) {
      m /= 10n;
      e += 1;
    }
    return [m, e];
  }

  function sciText(x, digits) {
    digits = digits || 3;
    const [m, e] = significant(x, digits);
    const t = m.toString();
    return (x.n < 0n ? "-" : "") + t[0] + (t.length > 1 ? "." + t.slice(1) : "") + "e" + e;
  }

  const groups = (t) => t.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

  // Exact when it has at most 4 significant digits (below 10^7), else 3 (core/numbers.py).
  function countText(n) {
    n = BigInt(n);
    const digits = babs(n).toString();
    const exact = babs(n) < 10000000n && digits.replace(/0+$/, "").length <= 4;
    return exact ? (n < 0n ? "-" : "") + groups(digits) : sciText(Q(n));
  }

  const sizeText = (n) => {
    n = BigInt(n);
    return n > 0n && (n & (n - 1n)) === 0n ? "2^" + (bitLength(n) - 1) : countText(n);
  };

  /** The exact decimal of x when it has at most 3 significant digits (Python's '.3g' of an
   * exact Decimal keeps it as it is: 2.8, 0.025, 100), else null. */
  function shortDecimal(x) {
    let d = x.d;
    let places = 0;
    while (d % 10n === 0n) {
      d /= 10n;
      places += 1;
    }
    while (d % 2n === 0n || d % 5n === 0n) {
      d = d % 2n === 0n ? d / 2n : d / 5n;
      places += 1;
    }
    if (d !== 1n) return null;
    let m = (x.n * pow10(places)) / x.d;
    let strip = m;
    while (strip % 10n === 0n && strip > 0n) strip /= 10n;
    if (strip.toString().length > 3) return null;
    if (places === 0) return m.toString();
    const t = m.toString().padStart(places + 1, "0");
    return (t.slice(0, t.length - places) + "." + t.slice(t.length - places))
      .replace(/0+$/, "")
      .replace(/\.$/, "");
  }

  function quantityText(x) {
    if (x.n === 0n) return "0";
    const a = { n: babs(x.n), d: x.d };
    const sign = x.n < 0n ? "-" : "";
    if (cmp(a, Q(1000n)) >= 0 && cmp(a, Q(10000000n)) < 0) {
      const [m, e] = significant(a, 3);
      return sign + groups((m * pow10(e - 2)).toString());
    }
    if (cmp(a, Q(1n, 1000n)) >= 0 && cmp(a, Q(1000n)) < 0) {
      const short = shortDecimal(a);
      if (short !== null) return sign + short;
      const [m, e] = significant(a, 3);
      if (e >= 3) return sciText(x);
      const places = 2 - e;
      const t = m.toString().padStart(places + 1, "0");
      return (
        sign + (places > 0 ? t.slice(0, t.length - places) + "." + t.slice(t.length - places) : t)
      );
    }
    return sciText(x);
  }

  const UNITS = [
    ["years", 31557600n],
    ["days", 86400n],
    ["h", 3600n],
    ["min", 60n],
    ["s", 1n],
    ["ms", null],
    ["us", null],
  ];

  function durationText(seconds) {
    if (seconds.n === 0n) return "0 s";
    const sizes = { ms: Q(1n, 1000n), us: Q(1n, 1000000n) };
    for (const [unit, size] of UNITS) {
      const q = size === null ? sizes[unit] : Q(size);
      if (cmp({ n: babs(seconds.n), d: seconds.d }, q) >= 0)
        return quantityText(div(seconds, q)) + " " + unit;
    }
    return quantityText(seconds) + " s";
  }

  // ---- the page's results: heads, verdicts, claims, crossover ----------------------------

  /** One model's head at N under the knobs: row, estimate and the wall clock on P QPUs. */
  function headAt(data, model, N, knobs) {
    const row = headRow(data, model, N, knobs);
    const e = headEstimate(data, row, knobs);
    const quantum = e.valid ? div(e.runtime_s, Q(BigInt(knobs.qpus))) : null;
    return {
      model: model,
      assumed: data.models[model].assumed,
      row: row,
      estimate: e,
      quantum_s: quantum,
    };
  }

  /** Roofline seconds of every baseline at N, divided by the classical efficiency f. */
  function classicalAt(data, N, knobs) {
    const f = fromDecimal(knobs.classical_efficiency);
    const out = {};
    for (const b of data.classical.order) out[b] = div(classicalSeconds(data, b, N), f);
    return out;
  }

  /** The baseline the summary compares with: the knob's, or the fastest of `headline`. */
  function chosenBaseline(classical, knobs, headline) {
    if (knobs.baseline !== "fastest") return knobs.baseline;
    let best = null;
    for (const b of headline)
      if (b in classical && (best === null || cmp(classical[b], classical[best]) < 0)) best = b;
    return best;
  }

  /** Model x baseline at N: the ratio quantum / classical and whether quantum is faster
   * (null: the quantum estimate is outside its error budget, not an estimate). */
  function verdicts(heads, classical) {
    const out = {};
    for (const h of heads) {
      out[h.model] = {};
      for (const b of Object.keys(classical)) {
        const ratio = h.quantum_s === null ? null : div(h.quantum_s, classical[b]);
        out[h.model][b] = { ratio: ratio, faster: ratio === null ? null : cmp(ratio, ONE) < 0 };
      }
    }
    return out;
  }

  const parseRat = (t) => {
    const [p, q] = String(t).split("/");
    return Q(BigInt(p), BigInt(q || "1"));
  };
  const growthOf = (pair) => ({ a: parseRat(pair[0]), k: parseRat(pair[1]) });
  const verdictOf = (gates, depth) =>
    gates && depth ? "holds" : depth ? "holds only for depth" : "fails";

  /** The QLACI claims x models, judged as `qlaci.claims` does from the exported growths
   * (null: not judged, the growth of the calls is not known for this readout). */
  function claims(data, knobs) {
    const cl = data.claims;
    const kind = knobs.precision.split(":")[0];
    const calls = (cl.calls[knobs.method] || {})[kind];
    const twin = growthOf(cl.twin);
    const out = {};
    for (const model of data.order) {
      const m = cl.models[model];
      const g = {};
      const table = m.fixed || m.by_k[String(knobs.ideal_k)];
      for (const [name, pair] of Object.entries(table)) g[name] = growthOf(pair);
      const polylog = (names) => names.every((n) => cmp(g[n].a, ZERO) <= 0);
      const row = {
        qubits: cmp(g.qubits.a, ZERO) === 0 && cmp(g.qubits.k, ONE) <= 0 ? "holds" : "fails",
        "query-cost": verdictOf(
          polylog(["toffoli", "t_count", "clifford"]),
          polylog(["toffoli_depth", "depth"]),
        ),
        "global-attention": (cl.global_attention || {})[model] || null,
      };
      if (calls) {
        const c = growthOf(calls);
        const perN = (names) => names.every((n) => cmp(add(c.a, g[n].a), ZERO) <= 0);
        row["head-cost"] = verdictOf(perN(["gates", "toffoli"]), perN(["toffoli_depth", "depth"]));
        const head = { a: add(add(ONE, c.a), g.gates.a), k: add(c.k, g.gates.k) };
        row["no-pairwise"] = cmp(head.a, Q(2n)) < 0 ? "holds" : "fails";
        const order = cmp(twin.a, head.a) || cmp(twin.k, head.k);
        row["needs-quantum"] = order <= 0 ? "fails" : "holds";
      } else {
        row["head-cost"] = row["no-pairwise"] = row["needs-quantum"] = null;
      }
      out[model] = row;
    }
    return out;
  }

  /** Crossover over N = 2^low .. N (`qlaci.crossover`'s records): per (model, baseline) the
   * smallest N with quantum < classical, else the largest N, with the ratio there. */
  function crossover(data, knobs, headline) {
    const low = data.knobs.ranges.N.low;
    const grid = [];
    for (let k = low; k <= Number(knobs.N); k++) grid.push(1n << BigInt(k));
    const quantum = {};
    for (const model of data.order) quantum[model] = grid.map((n) => headAt(data, model, n, knobs));
    const classical = grid.map((n) => classicalAt(data, n, knobs));
    const records = [];
    for (const model of data.order) {
      for (const b of data.classical.order) {
        const q = quantum[model];
        const valid = grid.map((_, i) => i).filter((i) => q[i].quantum_s !== null);
        const wins = valid.filter((i) => cmp(q[i].quantum_s, classical[i][b]) < 0);
        const i = wins.length ? wins[0] : grid.length - 1;
        records.push({
          model: model,
          assumed: data.models[model].assumed,
          baseline: b,
          crossover_N: wins.length ? grid[i] : null,
          N: grid[i],
          quantum_s: q[i].quantum_s,
          classical_s: classical[i][b],
          ratio: q[i].quantum_s === null ? null : div(q[i].quantum_s, classical[i][b]),
          invalid_N: grid.filter((_, j) => q[j].quantum_s === null),
        });
      }
    }
    return {
      grid: grid,
      records: records,
      sentence: crossoverSentence(data, records, grid, headline),
    };
  }

  const label = (r) => r.model + (r.assumed ? "†" : "");

  /** The report's crossover sentence (`output.answer.crossover_sentence`), without the
   * break-even table's cheapest flip and the extrapolated trend. */
  function crossoverSentence(data, records, grid, headline) {
    const hw = data.classical.hardware_name;
    const baselines = data.classical.order;
    const where =
      "on an " +
      hw +
      " (" +
      baselines.length +
      " classical baselines: " +
      baselines.join(", ") +
      ")";
    const wins = records.filter((r) => r.crossover_N !== null);
    if (wins.length) {
      const first = wins.reduce((a, b) => (b.crossover_N < a.crossover_N ? b : a));
      const models = [...new Set(wins.map((r) => r.model))].sort();
      const names = models.map((m) => label(wins.find((r) => r.model === m)));
      return (
        "Crossover: " +
        names.join(", ") +
        " beat" +
        (models.length === 1 ? "s" : "") +
        " classical attention " +
        where +
        "; the earliest is " +
        label(first) +
        " against " +
        first.baseline +
        " at N = " +
        sizeText(first.crossover_N) +
        " (yes)."
      );
    }
    const assumed = records.some((r) => r.assumed);
    const who = assumed ? "the assumed ideal QRAM included" : "every one a circuit";
    let text =
      "Crossover: no QRAM model, " +
      who +
      ", beats classical attention " +
      where +
      " up to N = " +
      sizeText(grid[grid.length - 1]) +
      invalidText(records) +
      ".";
    text += headlineText(records, headline);
    const compared = records.filter((r) => r.ratio !== null);
    if (compared.length) {
      const closest = compared.reduce((a, b) => (cmp(b.ratio, a.ratio) < 0 ? b : a));
      text +=
        " Closest: " +
        label(closest) +
        " against " +
        closest.baseline +
        ", " +
        quantityText(closest.ratio) +
        " times slower at N = " +
        sizeText(closest.N) +
        ".";
    }
    return text;
  }

  function invalidText(records) {
    const groupsOf = new Map();
    for (const r of records) {
      if (!r.invalid_N.length) continue;
      const key = r.invalid_N.map(sizeText).join(", ");
      if (!groupsOf.has(key)) groupsOf.set(key, []);
      if (!groupsOf.get(key).includes(label(r))) groupsOf.get(key).push(label(r));
    }
    if (!groupsOf.size) return "";
    const parts = [...groupsOf].map(
      ([sizes, models]) => "at N = " + sizes + " for " + models.join(", "),
    );
    return (
      " wherever it has an estimate (outside the physical model's error budget, " +
      "not an estimate and not compared: " +
      parts.join("; ") +
      ")"
    );
  }

  function headlineText(records, headline) {
    const names = {
      "qlaci-exact": "QLACI's exact classical twin (the same outputs, no shots)",
      linear: "linear attention",
      flash: "flash attention",
    };
    const parts = [];
    for (const b of headline) {
      const mine = records.filter((r) => r.baseline === b && r.quantum_s !== null);
      if (!mine.length) continue;
      const best = mine.reduce((a, c) => (cmp(c.quantum_s, a.quantum_s) < 0 ? c : a));
      parts.push(
        (names[b] || b) +
          " takes " +
          durationText(best.classical_s) +
          ", the fastest quantum head (" +
          label(best) +
          ") " +
          durationText(best.quantum_s) +
          ", " +
          quantityText(best.ratio) +
          " times slower",
      );
    }
    if (!parts.length) return "";
    const top = records.reduce((a, r) => (r.N > a ? r.N : a), 0n);
    return (
      " Against the strongest classical methods at N = " +
      sizeText(top) +
      ": " +
      parts.join("; ") +
      "."
    );
  }

  /** Everything the page shows at the knobs' N (the crossover separately: `crossover`). */
  function explore(data, knobs, headline) {
    const N = 1n << BigInt(knobs.N);
    const heads = data.order.map((model) => headAt(data, model, N, knobs));
    const classical = classicalAt(data, N, knobs);
    const baseline = chosenBaseline(classical, knobs, headline);
    return {
      N: N,
      heads: heads,
      classical: classical,
      baseline: baseline,
      verdicts: verdicts(heads, classical),
      claims: claims(data, knobs),
    };
  }

  const api = {
    Q: Q,
    add: add,
    sub: sub,
    mul: mul,
    div: div,
    cmp: cmp,
    fromDecimal: fromDecimal,
    fromFloatExact: fromFloatExact,
    toFloat: toFloat,
    evaluate: evaluate,
    integer: integer,
    readout: readout,
    queryMetrics: queryMetrics,
    headRow: headRow,
    headEstimate: headEstimate,
    gidneyFowler: gidneyFowler,
    logicalInput: logicalInput,
    constants: constants,
    findFactories: findFactories,
    binomPpf: binomPpf,
    runErrorBudget: runErrorBudget,
    classicalSeconds: classicalSeconds,
    explore: explore,
    crossover: crossover,
    claims: claims,
    sciText: sciText,
    countText: countText,
    sizeText: sizeText,
    quantityText: quantityText,
    durationText: durationText,
    METRIC_NAMES: METRIC_NAMES,
  };
  root.QlaciEngine = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
