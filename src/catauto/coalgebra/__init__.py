"""Coalgebras, unfolds, the final coalgebra of streams and the behaviours of machines."""

from catauto.coalgebra.behaviour import Behaviour, behaviour
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
]

from catauto.coalgebra.partition import bfs_order, bisimilar, quotient, refine  # noqa: E402

__all__ += ["refine", "bisimilar", "quotient", "bfs_order"]
