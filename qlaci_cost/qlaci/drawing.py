"""The QLACI family's drawings (`core.drawings`): the query circuit and the head.

Both at d_q = 1 query qubit and b = 1 bit per key and value component (`verify.worst_case`),
loading through a QRAM model (`qram=`, default `DEFAULT_QRAM`). The counted bloq is the
size-only query (or head) the tables count; the circuit is the query at the worst-case words of
that model and seeded angles. A head is a classical loop of N x calls runs of the query circuit,
so its circuit is the query's.
"""

from qlaci_cost.core.drawings import Drawing
from qlaci_cost.core.grids import pad_size
from qlaci_cost.qram.registry import model_class

__all__ = ["DEFAULT_QRAM", "GALLERY", "drawing", "drawings"]

#: The QRAM model a drawn query loads through unless told (`QLACIQuery`'s own default).
DEFAULT_QRAM = "bucket-brigade"
#: The bloq the report draws.
GALLERY: tuple[str, ...] = ("qlaci-query",)
_WHAT = {
    "qlaci-query": "one QLACI query circuit (d_q = 1, b = 1) loading its N words through a "
    "QRAM model (qram=, default bucket-brigade)",
    "qlaci-head": "one QLACI head: N queries, each run for its readout (abs:0.01, hoeffding)",
}


def drawings() -> dict[str, str]:
    return dict(_WHAT)


def drawing(name: str, n: int, qram: str = DEFAULT_QRAM) -> Drawing:
    """The `Drawing` of `qlaci-query` or `qlaci-head` at N = n (padded to a power of two)."""
    from qlaci_cost.qlaci.head import QLACIHead
    from qlaci_cost.qlaci.query import QLACIQuery
    from qlaci_cost.qlaci.verify import worst_case

    model_class(qram)  # an unknown model is refused here, naming the allowed ones
    padded, pad_note = pad_size(n)
    query = QLACIQuery(padded, d_q=1, bits=1, qram_model=qram)

    def circuit():
        return worst_case(qram, padded, 1)

    notes = [pad_note] if pad_note else []
    notes.append(f"circuit: the query at the worst-case words of {qram} and seeded angles")
    sizes = f"N = {padded}, d_q = 1, b = 1, QRAM {qram}"
    if name == "qlaci-head":
        notes.append("a head is a classical loop of N x calls runs of this query circuit")
        return Drawing(f"QLACI head: {sizes}", QLACIHead(query), circuit, "; ".join(notes))
    return Drawing(f"QLACI query: {sizes}", query, circuit, "; ".join(notes))
