"""Coalgebras, unfolds, the final coalgebra of streams and the behaviours of machines."""

from catauto.coalgebra.behaviour import Behaviour, behaviour
from catauto.coalgebra.cofree import (
    Cofree,
    cofree_map,
    duplicate,
    extract,
    from_comonad_coalgebra,
    prefix,
    to_comonad_coalgebra,
)
from catauto.coalgebra.core import Coalgebra, ana, hylo, refold, unfold
from catauto.coalgebra.lax import LaxCoalgebra
from catauto.coalgebra.stream import Stream, iterate, streams, take, unfold_stream

__all__ = [
    "Coalgebra",
    "ana",
    "unfold",
    "hylo",
    "refold",
    "Stream",
    "unfold_stream",
    "take",
    "iterate",
    "streams",
    "Behaviour",
    "behaviour",
    "LaxCoalgebra",
    "Cofree",
    "extract",
    "duplicate",
    "cofree_map",
    "prefix",
    "to_comonad_coalgebra",
    "from_comonad_coalgebra",
]

from catauto.coalgebra.partition import bfs_order, bisimilar, quotient, refine  # noqa: E402

__all__ += ["refine", "bisimilar", "quotient", "bfs_order"]
