"""The QRAM family's drawings (`core.drawings`): one query of every QRAM model.

The counted bloq is the size-only model at N cells of `WORD_BITS` bits (the tables' counts,
worst case over data); the circuit is the same model loading its worst-case data (every word
all ones: every data-dependent gate present, so its gates are the ones counted). An assumed
oracle has no circuit.
"""

from typing import Any

from qlaci_cost.core.drawings import Drawing
from qlaci_cost.core.grids import pad_size
from qlaci_cost.errors import InputError
from qlaci_cost.qram.registry import all_models, build, build_symbolic, model_class, traits

__all__ = ["GALLERY", "WORD_BITS", "drawing", "drawings"]

#: Bits per word of the drawn instance (small: the circuit stays readable).
WORD_BITS = 2
#: The model the report draws: the QRAM of the proposal's cost model.
GALLERY: tuple[str, ...] = ("bucket-brigade",)


def drawings() -> dict[str, str]:
    """Every QRAM model (`all_models()`), each a query of N words."""
    return {
        m: f"one query of the {m} QRAM model (N words of b = {WORD_BITS} bits)"
        for m in all_models()
    }


def drawing(name: str, n: int, **options: Any) -> Drawing:
    """The `Drawing` of QRAM model `name` at N = n (padded to a power of two)."""
    if options:
        raise InputError(
            f"option {', '.join(map(str, options))} is not allowed for {name!r}: it is a QRAM "
            "model, drawn by its own name"
        )
    cls = model_class(name)
    padded, pad_note = pad_size(n)
    counted = build_symbolic(name, padded, WORD_BITS)
    title = f"{name} QRAM: one query, N = {padded}, b = {WORD_BITS}"
    notes = [pad_note] if pad_note else []
    if traits(name).ASSUMED_ORACLE:
        notes.append(
            f"{name} is an assumed oracle: a cost, not a circuit, so there is none to draw"
        )
        return Drawing(title, counted, None, "; ".join(notes))

    def circuit():
        words = getattr(cls, "worst_case_data", None)
        data = words(padded, WORD_BITS) if words else (2**WORD_BITS - 1,) * padded
        return build(name, data, WORD_BITS)

    notes.append("circuit: the worst-case data the counts assume (every word all ones)")
    return Drawing(title, counted, circuit, "; ".join(notes))
