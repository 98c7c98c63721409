"""The multi-query family's drawing (`core.drawings`): B = `BATCHES` queries in one circuit.

The counted bloq is the size-only `MultiQueryQLACI` over the size-only query (d_q = 1, b = 1)
the QLACI drawing uses; the circuit is the same over the worst-case words of the QRAM model
(`qlaci.verify.worst_case`, as the batch-counts check) with seeded queries and angles.
"""

from qlaci_cost.core.drawings import Drawing
from qlaci_cost.core.grids import pad_size
from qlaci_cost.qlaci.drawing import DEFAULT_QRAM
from qlaci_cost.qram.registry import model_class

__all__ = ["BATCHES", "GALLERY", "SEED", "drawing", "drawings"]

#: B, queries per drawn circuit.
BATCHES = 2
SEED = 2024
GALLERY: tuple[str, ...] = ()


def drawings() -> dict[str, str]:
    return {
        "multi-query": f"B = {BATCHES} QLACI queries in one circuit (multiplexed encoding), "
        "loading through a QRAM model (qram=, default bucket-brigade)"
    }


def drawing(name: str, n: int, qram: str = DEFAULT_QRAM) -> Drawing:
    """The `Drawing` of `multi-query` at N = n (padded to a power of two)."""
    import numpy as np

    from qlaci_cost.qlaci.multi_query.query import MultiQueryQLACI
    from qlaci_cost.qlaci.query import QLACIQuery
    from qlaci_cost.qlaci.verify import worst_case

    model_class(qram)
    padded, pad_note = pad_size(n)
    template = QLACIQuery(padded, d_q=1, bits=1, qram_model=qram)
    counted = MultiQueryQLACI(template, BATCHES)
    notes = [pad_note] if pad_note else []

    def circuit():
        queries = np.random.default_rng([SEED, padded]).uniform(-np.pi, np.pi, (BATCHES, 1))
        return MultiQueryQLACI(worst_case(qram, padded, 1), BATCHES, queries=queries)

    notes.append(f"circuit: the worst-case words of {qram}, seeded queries and angles")
    title = f"multi-query QLACI: N = {padded}, B = {BATCHES}, d_q = 1, b = 1, QRAM {qram}"
    return Drawing(title, counted, circuit, "; ".join(notes))
