"""Rows the report derives from the tables: fitted scaling per model and metric, surface-code
estimates of one head at selected N, and its space-time frontier."""

from collections.abc import Sequence

from qlaci_cost.analysis.scenario import as_scenario
from qlaci_cost.core.closed_forms import cached_value, key_of
from qlaci_cost.qram import model_class
from qlaci_cost.qram.table import B, symbolic_summary
from qlaci_cost.symbolics.exact import significant_text
from qlaci_cost.symbolics.scaling import growth, loglog_slope
from qlaci_cost.verdicts.head import head_counts, head_estimate, head_run_counts

__all__ = ["frontiers", "head_counts", "physical_rows", "scaling_rows"]


def scaling_rows(qram: Sequence[dict], head: Sequence[dict], conventions, bits: int) -> list[dict]:
    """Per model and metric: fitted top-decade slope and the closed form's leading order."""
    out = []
    for model, rows in _by_model(qram):
        orders = _orders(model, conventions, bits)
        for metric in _QRAM_METRICS:
            out.append(_slope_row("QRAM query", model, metric, rows, orders[metric]))
    for model, rows in _by_model(head):
        for metric in ("total_toffoli", "total_t_count", "total_toffoli_depth", "total_depth"):
            out.append(_slope_row("QLACI head", model, metric, rows, ""))
    return out


_QRAM_METRICS = ("qubits", "toffoli", "t_count", "clifford", "toffoli_depth", "depth")
#: The disk cache's kind of the QRAM models' leading orders (`core.closed_forms`).
ORDERS_KIND = "qram-leading-orders"


def _orders(model: str, conventions, bits: int) -> dict[str, str]:
    """metric -> the leading order of the model's closed form at b = `bits` (kept in the
    disk cache: deriving it takes the symbolic summary and sympy's series analysis)."""

    def derive() -> dict[str, str]:
        symbolic = symbolic_summary(model, conventions)
        return {m: _order(getattr(symbolic, m), bits) for m in _QRAM_METRICS}

    key = key_of(model_class(model), model=model, conventions=conventions, bits=bits)
    return cached_value(ORDERS_KIND, key, derive)


def _by_model(rows: Sequence[dict]) -> list[tuple[str, list[dict]]]:
    models = dict.fromkeys(r["model"] for r in rows)
    return [(model, [r for r in rows if r["model"] == model]) for model in models]


def _slope_row(family: str, model: str, metric: str, rows: Sequence[dict], order: str) -> dict:
    slope = loglog_slope([r["N"] for r in rows], [r[metric] for r in rows])
    return {
        "family": family,
        "model": model,
        "metric": metric,
        "slope": "n/a" if slope is None else f"{slope:.2f}",
        "leading_order": order,
    }


def _order(expr, bits: int) -> str:
    """Leading order N^a log^k N of a closed form at b = `bits` (scaling.growth), 'n/a' if not
    recognised."""
    try:
        return growth(expr.subs(B, bits) if hasattr(expr, "subs") else expr).text()
    except ValueError:
        return "n/a"


def frontiers(head: Sequence[dict], n: int, scenario=None) -> dict:
    """model -> [(factories, physical qubits, runtime s)] of one head at N = n
    (`physical.frontier` under the scenario's model and error-budget scope)."""
    scenario = as_scenario(scenario)
    out = {}
    for row in head:
        if row["N"] == n:
            run, runs = head_run_counts(row)
            points = scenario.frontier(run, runs, scenario.eps(n), counts=head_counts(row))
            out[row["model"]] = [(e.n_factories, e.physical_qubits, e.runtime_s) for e in points]
    return out


def physical_rows(head: Sequence[dict], picks: Sequence[int], scenario=None) -> list[dict]:
    """The physical estimate of one head per model at the sizes `picks` (`head_estimate`
    under the scenario), with the error-budget scope in a column."""
    out = []
    for row in head:
        if row["N"] not in picks:
            continue
        est = head_estimate(row, scenario)
        bound = est.lower_bound
        out.append(
            {
                "model": row["model"],
                "N": row["N"],
                "physical_qubits": est.physical_qubits,
                "code_distance": est.code_distance,
                "factories": est.n_factories,
                "runtime_s": significant_text(est.runtime_s),
                "limited_by": est.limited_by,
                "lower_bound": "yes" if bound else "no",
                "valid": "yes" if est.valid else f"no: {est.invalid_reason}",
                "budget_scope": est.budget_scope,
                "_estimate": est,
            }
        )
        if not est.valid:  # not an estimate: no number printed as one (CSV empty, JSON null)
            for key in ("physical_qubits", "code_distance", "factories", "runtime_s"):
                out[-1][key] = None
    return out
