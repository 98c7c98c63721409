"""Qualtran 0.7.0's table lookups (QROM, SelectSwapQROM, QROAMClean) as QRAM models.

One module per model, as in Qualtran's `data_loading/`: `qualtran_base` (what they share),
`qrom`, `select_swap`, `qroam_clean`. This module keeps the old import path working.
"""

from qlaci_cost.qram.qroam_clean import (  # noqa: F401 - bloq examples re-exported
    _QROAM_CLEAN_QRAM_DOC,
    MEASUREMENT_NOTE,
    UNCOMPUTE_MODES,
    QROAMCleanQRAM,
    _qroam_clean_qram,
    _qroam_clean_qram_symb,
)
from qlaci_cost.qram.qrom import _QROM_QRAM_DOC, QROMQRAM, _qrom_qram, _qrom_qram_symb  # noqa: F401
from qlaci_cost.qram.qualtran_base import (  # noqa: F401 - re-exported for old imports
    CountsT,
    _block,
    _check_data,
    _check_log_block,
    _div,
    _lookup_counts,
    _lookup_depth,
    _LookupQRAM,
    _merge,
    _second_lookup_start,
    _smax,
    _smin,
    _swap_counts,
    _swap_depth,
    _worst_words,
    optimal_log_block_size,
)
from qlaci_cost.qram.select_swap import (  # noqa: F401
    _SELECT_SWAP_QRAM_DOC,
    SelectSwapQRAM,
    _select_swap_qram,
    _select_swap_qram_symb,
)

__all__ = [
    "MEASUREMENT_NOTE",
    "QROMQRAM",
    "QROAMCleanQRAM",
    "SelectSwapQRAM",
    "UNCOMPUTE_MODES",
    "optimal_log_block_size",
]
