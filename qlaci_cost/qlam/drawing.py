"""The QLAM family's drawings (`core.drawings`): one step and the run of N steps.

Both with the circuit the tables price (`protocols.DEFAULT_CONFIG`); the circuit is the same
with seeded token and ansatz angles (`SEED`). N is the number of tokens (no padding).
"""

from typing import Any

from qlaci_cost.core.drawings import Drawing
from qlaci_cost.errors import InputError

__all__ = ["GALLERY", "SEED", "drawing", "drawings"]

SEED = 11
GALLERY: tuple[str, ...] = ()
_WHAT = {
    "qlam-sequence": "one QLAM run: N token steps on the memory, then the final readout",
    "qlam-step": "one QLAM step: token encoding and the update ansatz on the memory",
}


def drawings() -> dict[str, str]:
    return dict(_WHAT)


def drawing(name: str, n: int, **options: Any) -> Drawing:
    """The `Drawing` of `qlam-sequence` (N steps) or `qlam-step` (one; N unused)."""
    import attrs
    import numpy as np

    from qlaci_cost.qlam.protocols import DEFAULT_CONFIG as config

    if options:
        raise InputError(
            f"option {', '.join(map(str, options))} is not allowed for {name!r}: a QLAM "
            "circuit loads no QRAM"
        )
    counted = config.sequence(n)

    def concrete():
        steps = 1 if name == "qlam-step" else n
        rng = np.random.default_rng([SEED, n])
        return attrs.evolve(
            config.sequence(steps),
            tokens=rng.uniform(-np.pi, np.pi, (steps, config.d_in)),
            params=rng.uniform(-np.pi, np.pi, config.layers * config.rotations * config.m),
        )

    sizes = f"m = {config.m}, d_in = {config.d_in}, L = {config.layers}"
    note = "circuit: seeded token and ansatz angles"
    if name == "qlam-step":
        return Drawing(f"QLAM step: {sizes}", counted.step, lambda: concrete().step_at(0), note)
    return Drawing(f"QLAM run: N = {n} steps, {sizes}", counted, concrete, note)
