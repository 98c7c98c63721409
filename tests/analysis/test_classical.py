"""Tests for qlaci_cost.analysis.classical: closed forms vs loops that count every op."""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy

from qlaci_cost.analysis.classical import (
    BASELINES,
    HARDWARE,
    FlashAttention,
    Hardware,
    LinearAttention,
    SlidingWindowAttention,
    SoftmaxAttention,
    SSMScan,
    block_flops,
    block_memory_bytes,
    fits_in_memory,
    get_baseline,
    get_hardware,
    runtime_seconds,
)

N, d, w, s = sympy.symbols("N d w s", positive=True, integer=True)


# ---------------------------------------------------------------------------------------------
# A scalar that counts every arithmetic operation performed on it. Accumulators start at a plain
# 0.0 or -inf, so a reduction over n values costs n ops and a dot product of length k costs 2k:
# the convention the closed forms state.


class F:
    ops = 0
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = float(v)

    def _op(self, other, fn):
        F.ops += 1
        return F(fn(self.v, other.v if isinstance(other, F) else float(other)))

    def __add__(self, o):
        return self._op(o, lambda a, b: a + b)

    def __radd__(self, o):
        return self._op(o, lambda a, b: b + a)

    def __sub__(self, o):
        return self._op(o, lambda a, b: a - b)

    def __mul__(self, o):
        return self._op(o, lambda a, b: a * b)

    def __rmul__(self, o):
        return self._op(o, lambda a, b: b * a)

    def __truediv__(self, o):
        return self._op(o, lambda a, b: a / b)


def fexp(x):
    F.ops += 1
    return F(math.exp(x.v))


def fmax(a, b):
    F.ops += 1
    return F(max(a.v if isinstance(a, F) else a, b.v))


def frsqrt(x):
    F.ops += 1
    return F(1 / math.sqrt(x.v))


def fgelu(x):
    F.ops += 1
    return F(0.5 * x.v * (1 + math.erf(x.v / math.sqrt(2))))


def wrap(a):
    return [[F(x) for x in row] for row in np.asarray(a)]


def unwrap(a):
    return np.array([[x.v for x in row] for row in a])


def matmul(a, b):
    return [
        [sum((a[i][k] * b[k][j] for k in range(len(b))), 0.0) for j in range(len(b[0]))]
        for i in range(len(a))
    ]


def transpose(a):
    return [list(r) for r in zip(*a)]


def softmax_rows(scores, scale):
    out = []
    for row in scores:
        row = [x * scale for x in row]
        m = -math.inf
        for x in row:
            m = fmax(m, x)
        e = [fexp(x - m) for x in row]
        total = sum(e, 0.0)
        out.append([x / total for x in e])
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def _count(fn, *args):
    F.ops = 0
    out = fn(*args)
    return out, F.ops


# ---------------------------------------------------------------------------------------------
# Attention baselines vs counted loop implementations


@pytest.mark.parametrize("n, dh", [(1, 1), (3, 2), (6, 4), (8, 3)])
def test_softmax_attention_counts(n, dh, rng):
    q, k, v = (rng.normal(size=(n, dh)) for _ in range(3))
    Q, K, V = wrap(q), wrap(k), wrap(v)
    S, c1 = _count(matmul, Q, transpose(K))
    P, c2 = _count(softmax_rows, S, 1 / math.sqrt(dh))
    out, c3 = _count(matmul, P, V)
    assert c1 + c3 == SoftmaxAttention().flops(n, dh) == FlashAttention().flops(n, dh)
    assert c1 + c2 + c3 == SoftmaxAttention(elementwise=True).flops(n, dh)
    # Numerics: the counted implementation is softmax attention.
    sc = q @ k.T / math.sqrt(dh)
    ref = np.exp(sc - sc.max(1, keepdims=True))
    np.testing.assert_allclose(unwrap(out), ref / ref.sum(1, keepdims=True) @ v, atol=1e-12)
    # Memory: Q, K, V, O and the N x N scores (P overwrites S).
    values = 4 * n * dh + n * n
    assert SoftmaxAttention().memory_bytes(n, dh, bytes_per_value=4) == 4 * values


def _flash_forward(q, k, v, br, bc):
    """Dao et al. 2022 Algorithm 1 in numpy, counting matmul FLOPs and HBM values moved."""
    n, dh = q.shape
    o, ell, m = np.zeros((n, dh)), np.zeros(n), np.full(n, -np.inf)
    flops = traffic = 0
    for j in range(0, n, bc):
        kj, vj = k[j : j + bc], v[j : j + bc]
        traffic += kj.size + vj.size
        for i in range(0, n, br):
            qi, oi, li, mi = q[i : i + br], o[i : i + br], ell[i : i + br], m[i : i + br]
            traffic += qi.size + oi.size + li.size + mi.size
            sij = qi @ kj.T / math.sqrt(dh)
            flops += 2 * qi.shape[0] * dh * kj.shape[0]
            mij = sij.max(1)
            pij = np.exp(sij - mij[:, None])
            lij = pij.sum(1)
            m_new = np.maximum(mi, mij)
            l_new = np.exp(mi - m_new) * li + np.exp(mij - m_new) * lij
            pv = pij @ vj
            flops += 2 * pij.shape[0] * pij.shape[1] * dh
            o[i : i + br] = (
                (li * np.exp(mi - m_new))[:, None] * oi + np.exp(mij - m_new)[:, None] * pv
            ) / l_new[:, None]
            ell[i : i + br], m[i : i + br] = l_new, m_new
            traffic += oi.size + li.size + mi.size  # write back O_i, l_i, m_i
    resident = q.size + k.size + v.size + o.size + ell.size + m.size
    return o, flops, traffic, resident


@pytest.mark.parametrize("n, dh, br, bc", [(8, 4, 2, 4), (12, 3, 4, 3), (16, 8, 16, 16)])
def test_flash_attention_tiled(n, dh, br, bc, rng):
    q, k, v = (rng.normal(size=(n, dh)) for _ in range(3))
    o, flops, traffic, resident = _flash_forward(q, k, v, br, bc)
    sc = q @ k.T / math.sqrt(dh)
    ref = np.exp(sc - sc.max(1, keepdims=True))
    np.testing.assert_allclose(o, ref / ref.sum(1, keepdims=True) @ v, atol=1e-12)
    f = FlashAttention()
    assert flops == f.flops(n, dh)
    assert 2 * resident == f.memory_bytes(n, dh)  # Q, K, V, O, row max, row sum
    # The traffic model 4 N d (read Q, K, V, write O) is a lower bound on Algorithm 1's; with
    # one tile the excess is only the read of the zero-initialised O and the 2 N row stats
    # (read and written): 5 N d + 4 N.
    assert traffic >= f.traffic_values(n, dh)
    if br == bc == n:
        assert traffic == f.traffic_values(n, dh) + n * dh + 4 * n


def linear_attention(Q, K, V):
    """Non-causal linear attention; returns the output and the ops of its two matmuls."""
    n, dh = len(Q), len(Q[0])
    c0 = F.ops
    kv = matmul(transpose(K), V)  # 2 N d^2
    c1 = F.ops
    z = [sum((K[j][a] for j in range(n)), 0.0) for a in range(dh)]  # N d
    c2 = F.ops
    num = matmul(Q, kv)  # 2 N d^2
    c3 = F.ops
    den = [sum((Q[i][a] * z[a] for a in range(dh)), 0.0) for i in range(n)]  # 2 N d
    out = [[num[i][c] / den[i] for c in range(dh)] for i in range(n)]  # N d
    return out, (c1 - c0) + (c3 - c2)


def test_linear_attention_counts(rng):
    for n, dh in [(1, 1), (5, 3), (7, 4)]:
        phi = lambda x: np.where(x > 0, x + 1, np.exp(x))  # elu + 1, not counted  # noqa: E731
        q, k, v = (
            phi(rng.normal(size=(n, dh))),
            phi(rng.normal(size=(n, dh))),
            rng.normal(size=(n, dh)),
        )
        (out, main), total = _count(linear_attention, wrap(q), wrap(k), wrap(v))
        assert main == LinearAttention().flops(n, dh)
        assert total == LinearAttention(elementwise=True).flops(n, dh)
        a = q @ k.T
        np.testing.assert_allclose(unwrap(out), (a / a.sum(1, keepdims=True)) @ v, atol=1e-12)


def test_causal_linear_attention_same_leading_count(rng):
    n, dh = 6, 3
    Q, K, V = (wrap(rng.normal(size=(n, dh))) for _ in range(3))
    F.ops = 0
    state = [[0.0] * dh for _ in range(dh)]
    for t in range(n):
        state = [[state[a][c] + K[t][a] * V[t][c] for c in range(dh)] for a in range(dh)]
        _ = [sum((Q[t][a] * state[a][c] for a in range(dh)), 0.0) for c in range(dh)]
    assert F.ops == LinearAttention().flops(n, dh) == 4 * n * dh**2


def sliding_window(Q, K, V, window):
    """Causal window of w' = min(w, N) keys per query, padded at the start (banded kernel)."""
    n, dh = len(Q), len(Q[0])
    wp = min(window, n)
    zero = [F(0.0) for _ in range(dh)]
    Kp, Vp = [zero] * (wp - 1) + K, [zero] * (wp - 1) + V
    c_mm = 0
    out = []
    for i in range(n):
        keys, vals = Kp[i : i + wp], Vp[i : i + wp]
        before = F.ops
        scores = [sum((Q[i][a] * key[a] for a in range(dh)), 0.0) for key in keys]
        c_mm += F.ops - before
        for p in range(wp - 1 - i):  # padded keys are masked (a select, not counted)
            scores[p] = F(-math.inf)
        (probs,) = softmax_rows([scores], 1 / math.sqrt(dh))
        before = F.ops
        out.append([sum((probs[j] * vals[j][c] for j in range(wp)), 0.0) for c in range(dh)])
        c_mm += F.ops - before
    return out, c_mm


@pytest.mark.parametrize("n, dh, window", [(6, 2, 3), (9, 3, 4), (5, 2, 8), (4, 1, 1)])
def test_sliding_window_counts(n, dh, window, rng):
    q, k, v = (rng.normal(size=(n, dh)) for _ in range(3))
    (out, mm), total = _count(sliding_window, wrap(q), wrap(k), wrap(v), window)
    assert mm == SlidingWindowAttention(window=window).flops(n, dh)
    assert total == SlidingWindowAttention(window=window, elementwise=True).flops(n, dh)
    sc = q @ k.T / math.sqrt(dh)
    idx = np.arange(n)
    mask = (idx[None, :] <= idx[:, None]) & (idx[None, :] > idx[:, None] - window)
    sc = np.where(mask, sc, -np.inf)
    ref = np.exp(sc - sc.max(1, keepdims=True))
    np.testing.assert_allclose(unwrap(out), ref / ref.sum(1, keepdims=True) @ v, atol=1e-12)
    if window <= n:  # unpadded count stated in the docstring: 4 d (N w - w (w - 1) / 2)
        unpadded = 4 * dh * sum(min(i + 1, window) for i in range(n))
        assert unpadded == 4 * dh * (n * window - window * (window - 1) // 2)
        assert unpadded <= mm
    assert SlidingWindowAttention(window=n).flops(n, dh) == SoftmaxAttention().flops(n, dh)


def ssm_scan(x, delta, A, B, C, D):
    n, ch = len(x), len(x[0])
    st = len(A[0])
    h = [[0.0] * st for _ in range(ch)]
    out = []
    for t in range(n):
        row = []
        for c in range(ch):
            dx = delta[t][c] * x[t][c]
            y = 0.0
            for k in range(st):
                da = fexp(delta[t][c] * A[c][k])
                h[c][k] = da * h[c][k] + dx * B[t][k]
                y = y + C[t][k] * h[c][k]
            row.append(y + D[0][c] * x[t][c])
        out.append(row)
    return out


@pytest.mark.parametrize("n, ch, st", [(1, 1, 1), (5, 3, 2), (7, 2, 4)])
def test_ssm_scan_counts(n, ch, st, rng):
    x = rng.normal(size=(n, ch))
    delta = rng.uniform(0.1, 1.0, size=(n, ch))
    A = -rng.uniform(0.5, 2.0, size=(ch, st))
    B, C = rng.normal(size=(n, st)), rng.normal(size=(n, st))
    D = rng.normal(size=(1, ch))
    out, ops = _count(ssm_scan, *(wrap(a) for a in (x, delta, A, B, C, D)))
    assert ops == SSMScan(state=st).flops(n, ch) == 7 * n * ch * st + 3 * n * ch
    # Numerics: the unrolled recurrence
    # y_t = sum_{u<=t} C_t (prod_{r=u+1..t} dA_r) dB_u x_u + D x_t.
    ref = np.zeros((n, ch))
    for t in range(n):
        for c in range(ch):
            acc = 0.0
            for u in range(t + 1):
                decay = np.exp(A[c] * delta[u + 1 : t + 1, c].sum())
                acc += np.sum(C[t] * decay * delta[u, c] * B[u] * x[u, c])
            ref[t, c] = acc + D[0, c] * x[t, c]
    np.testing.assert_allclose(unwrap(out), ref, atol=1e-12)
    values = 3 * n * ch + 2 * n * st + 2 * ch * st + ch  # x, Delta, y, B, C, A, h, D
    assert SSMScan(state=st).memory_bytes(n, ch, 2) == 2 * values


# ---------------------------------------------------------------------------------------------
# Exact and symbolic values


def test_exact_ints_at_2_64():
    n = 2**64
    cases = {
        "softmax": 4 * n**2 * 128,
        "flash": 4 * n**2 * 128,
        "linear": 4 * n * 128**2,
        "sliding-window": 4 * n * 512 * 128,
        "ssm-scan": 7 * n * 128 * 16 + 3 * n * 128,
    }
    for name, expected in cases.items():
        b = get_baseline(name)
        flops, mem = b.flops(n, 128), b.memory_bytes(n, 128)
        assert type(flops) is int and type(mem) is int and flops == expected
    assert SoftmaxAttention().memory_bytes(n, 128) == 2 * (n**2 + 4 * n * 128)
    assert FlashAttention().memory_bytes(n, 128) == 2 * (4 * n * 128 + 2 * n)


def test_symbolic_leading_terms():
    lim = lambda e, x: sympy.limit(e, x, sympy.oo)  # noqa: E731
    assert lim(SoftmaxAttention().flops(N, d) / N**2, N) == 4 * d
    assert lim(SoftmaxAttention().memory_bytes(N, d) / N**2, N) == 2
    assert lim(FlashAttention().memory_bytes(N, d) / N, N) == 8 * d + 4
    assert lim(LinearAttention().flops(N, d) / N, N) == 4 * d**2
    assert lim(SSMScan(state=s).flops(N, d) / N, N) == 7 * d * s + 3 * d
    sw = SlidingWindowAttention(window=w).flops(N, d)
    assert sympy.simplify(sw.subs(sympy.Min(w, N), w) - 4 * N * w * d) == 0
    for name in BASELINES:
        b = get_baseline(name)
        for k in (1, 6, 64, 200):
            for fn in ("flops", "memory_bytes", "traffic_bytes"):
                sym = getattr(b, fn)(N, 64)
                assert sym.subs(N, 2**k) == getattr(b, fn)(2**k, 64), (name, fn, k)


# ---------------------------------------------------------------------------------------------
# Hardware and roofline


def test_hardware_presets():
    # (preset, peak FLOP/s, bandwidth B/s, capacity B): datasheet numbers.
    table = [
        ("h100", 989e12, 3.35e12, 80e9),  # NVIDIA H100 SXM5 datasheet, dense FP16/BF16
        ("a100", 312e12, 2.039e12, 80e9),  # NVIDIA A100 SXM 80GB datasheet, dense BF16
        ("cpu", 96 * 2.4e9 * 32, 12 * 4800e6 * 8, 768e9),  # derived: cores x clock x FLOP/cycle
    ]
    for name, peak, bw, cap in table:
        hw = get_hardware(name)
        assert float(hw.peak_flops) == pytest.approx(peak, rel=1e-12)
        assert float(hw.bandwidth) == pytest.approx(bw, rel=1e-12)
        assert float(hw.memory_bytes) == pytest.approx(cap, rel=1e-12)
        assert hw.source
    assert get_hardware() is HARDWARE["h100"]


def test_runtime_roofline():
    n, dh = 4096, 128
    peak, bw = Fraction(989 * 10**12), Fraction(335 * 10**10)
    compute = Fraction(4 * n * n * dh) / peak
    traffic_std = Fraction(2 * (4 * n * dh + 4 * n * n)) / bw  # write/read S and P
    traffic_flash = Fraction(2 * 4 * n * dh) / bw
    std = runtime_seconds("softmax", n, dh, "h100")
    flash = runtime_seconds("flash", n, dh)
    assert std == sympy.Rational(max(compute, traffic_std)) and traffic_std > compute
    assert flash == sympy.Rational(max(compute, traffic_flash)) and compute > traffic_flash
    assert float(flash) == pytest.approx(8.685e-6, rel=1e-3)
    sw = runtime_seconds("sliding-window", n, dh, "a100", window=256)
    assert sw == max(
        sympy.Rational(4 * n * 256 * dh, 312 * 10**12),
        sympy.Rational(2 * (4 * n * dh + 4 * n * 256), 2039 * 10**9),
    )
    sym = runtime_seconds("flash", N, dh)
    assert sym.subs(N, 2**40) == runtime_seconds("flash", 2**40, dh)
    custom = Hardware("test", 1e12, 1e11, 1e9)
    # Linear attention at N = 10, d = 4: 640 FLOPs (0.64 ns) vs 2 x (160 + 16 + 4) = 360 B (3.6 ns).
    assert runtime_seconds("linear", 10, 4, custom) == sympy.Rational(360, 10**11)


def test_fits_in_memory():
    # Softmax scores at N = 2^20: 2^40 x 2 B = 2.2 TB > 80 GB; FlashAttention keeps O(N d).
    assert not fits_in_memory("softmax", 2**20, 128)
    assert fits_in_memory("flash", 2**20, 128)
    assert fits_in_memory("softmax", 2**16, 128)  # 8.6 GB


# ---------------------------------------------------------------------------------------------
# Transformer block vs a counted loop forward pass


def layer_norm(X, gain, bias):
    out = []
    for row in X:
        dm = len(row)
        mean = sum(row, 0.0) / dm
        cen = [x - mean for x in row]
        var = sum((c * c for c in cen), 0.0) / dm
        rstd = frsqrt(var + 1e-5)
        out.append([c * rstd * g + b for c, g, b in zip(cen, gain, bias)])
    return out


def add(X, Y):
    return [[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(X, Y)]


def block_forward(X, W, heads, with_attention):
    """Pre-norm block. Returns output, counts per part, and every activation tensor."""
    counts, acts = {}, {}

    def part(name, fn, *args):
        F.ops = 0
        out = fn(*args)
        counts[name] = counts.get(name, 0) + F.ops
        return out

    dm = len(X[0])
    dh = dm // heads
    acts["x"] = X
    acts["ln1"] = h1 = part("layer_norms", layer_norm, X, W["g1"][0], W["b1"][0])
    acts["q"], acts["k"], acts["v"] = (part("qkv_projection", matmul, h1, W[m]) for m in "qkv")
    if with_attention:
        cols = []
        for hd in range(heads):
            sl = lambda M: [r[hd * dh : (hd + 1) * dh] for r in M]  # noqa: E731, B023
            S = part("attention", matmul, sl(acts["q"]), transpose(sl(acts["k"])))
            P = part("attention", softmax_rows, S, 1 / math.sqrt(dh))
            cols.append(part("attention", matmul, P, sl(acts["v"])))
        att = [sum((c[i] for c in cols), []) for i in range(len(X))]
    else:  # the quantum head's output stands in: no classical FLOPs
        att = [[F(0.1 * (i + j)) for j in range(dm)] for i in range(len(X))]
    acts["attention_out"] = att
    acts["o"] = o = part("output_projection", matmul, att, W["o"])
    acts["h"] = h = part("residuals", add, X, o)
    acts["ln2"] = h2 = part("layer_norms", layer_norm, h, W["g2"][0], W["b2"][0])
    acts["ffn_hidden"] = f1 = part("ffn", matmul, h2, W["1"])
    acts["ffn_act"] = a = part("ffn_activation", lambda M: [[fgelu(x) for x in r] for r in M], f1)
    acts["ffn_out"] = f2 = part("ffn", matmul, a, W["2"])
    acts["y"] = part("residuals", add, h, f2)
    return counts, acts


@pytest.mark.parametrize("n, dm, dff, heads", [(3, 4, 6, 2), (5, 6, 8, 3), (1, 2, 2, 1)])
@pytest.mark.parametrize("with_attention", [False, True])
def test_block_counts(n, dm, dff, heads, with_attention, rng):
    shapes = {key: (dm, dm) for key in "qkvo"}
    shapes.update({"1": (dm, dff), "2": (dff, dm)})
    shapes.update({key: (1, dm) for key in ("g1", "b1", "g2", "b2")})
    W = {key: wrap(rng.normal(size=shape)) for key, shape in shapes.items()}
    counts, acts = block_forward(wrap(rng.normal(size=(n, dm))), W, heads, with_attention)
    attention = "softmax" if with_attention else None
    cost = block_flops(n, dm, dff, heads, attention=attention, elementwise=True)
    expected = {k: v for k, v in cost.as_dict().items() if k != "embedding"}
    assert counts == expected
    assert cost["embedding"] == 0
    weights = sum(a * b for a, b in shapes.values())
    values = sum(len(t) * len(t[0]) for t in acts.values())
    mem = block_memory_bytes(n, dm, dff, heads, bytes_per_value=2)
    assert mem.total == 2 * (weights + values)


def test_block_symbolic_total():
    dm, dff, h = sympy.symbols("d_model d_ff h", positive=True, integer=True)
    total = block_flops(N, dm, dff, h).total
    # By hand: 6 + 2 = 8 N dm^2, 4 N dm dff, residuals 2 N dm, norms 14 N dm + 8 N, act N dff.
    assert sympy.simplify(total - (8 * N * dm**2 + 4 * N * dm * dff + 16 * N * dm + 8 * N
                                   + N * dff)) == 0  # fmt: skip
    with_att = block_flops(N, dm, dff, h, attention="softmax").total
    assert sympy.simplify(with_att - total - 4 * N**2 * dm) == 0  # heads x 4 N^2 (dm / h)
    mem = block_memory_bytes(N, dm, dff, h, attention="softmax").total
    assert sympy.limit(mem / N**2, N, sympy.oo) == 2 * h  # h score matrices at 2 B
    big = block_flops(2**64, 4096, 16384, 32, attention="flash")
    assert type(big.total) is int and "qkv_projection = 3 x 2 N d_model^2" in big.describe()


# ---------------------------------------------------------------------------------------------
# Validation


def test_unknown_names():
    allowed = "softmax, flash, linear, sliding-window, ssm-scan"
    with pytest.raises(ValueError, match=f"unknown baseline 'performer': allowed are {allowed}"):
        get_baseline("performer")
    with pytest.raises(ValueError, match="unknown baseline 'x'"):
        runtime_seconds("x", 16, 4)
    with pytest.raises(ValueError, match="unknown hardware 'tpu': allowed are h100, a100, cpu"):
        runtime_seconds("softmax", 16, 4, "tpu")
    with pytest.raises(ValueError, match="options .* are not allowed for 'softmax'"):
        get_baseline("softmax", window=4)
    with pytest.raises(ValueError, match="attention='ssm-scan' is not allowed"):
        block_flops(16, 8, 32, 2, attention="ssm-scan")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: SoftmaxAttention().flops(0, 4), "N=0 is not allowed: N must be an integer >= 1"),
        (lambda: SoftmaxAttention().flops(2.5, 4), "N=2.5 is not allowed"),
        (lambda: LinearAttention().flops(4, 0), "d=0 is not allowed"),
        (lambda: SoftmaxAttention().flops(True, 4), "N=True is not allowed"),
        (lambda: SlidingWindowAttention(window=0), "window=0 is not allowed"),
        (lambda: SSMScan(state=-1), "state=-1 is not allowed"),
        (lambda: FlashAttention().memory_bytes(4, 4, 0), "bytes_per_value=0 is not allowed"),
        (lambda: block_flops(16, 10, 32, 4), "heads=4 is not allowed: heads must divide"),
        (lambda: block_memory_bytes(16, 8, 0, 2), "d_ff=0 is not allowed"),
    ],
)
def test_size_validation(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("field", ["peak_flops", "bandwidth", "memory_bytes"])
@pytest.mark.parametrize("bad", [0, -1e12, float("nan"), float("inf"), "fast", None])
def test_hardware_validation(field, bad):
    values = {"peak_flops": 1e12, "bandwidth": 1e11, "memory_bytes": 1e9, field: bad}
    with pytest.raises(ValueError, match=f"{field}=.* is not allowed: .*positive finite"):
        Hardware("bad", **values)
