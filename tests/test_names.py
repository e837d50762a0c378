"""Names that mean one thing (issue 18, item 6): a name of the core appears again in
catauto.neural only as the same object or as the lift of the same concept; the unfold
into an initial algebra refuses functors without finite terms and says what to use."""

import pytest

import catauto.algebra
import catauto.coalgebra
import catauto.functor
import catauto.monad
import catauto.neural
import catauto.para
from catauto import CatautoError
from catauto.algebra import ana, hylo, unfold
from catauto.coalgebra import Coalgebra, Stream, take, unfold_stream
from catauto.coalgebra import unfold as coalgebra_unfold
from catauto.functor import Layer, MooreF, StreamF

CORE = (catauto.algebra, catauto.coalgebra, catauto.functor, catauto.monad, catauto.para)
SAME_OBJECT = {"Para", "Reparam", "split_key"}
LIFTS = {  # neural name -> the core concept it lifts (tested in the files named)
    "fold": "algebra.cata (test_neural_fold: fold is cata whatever via)",
    "foldl": "algebra.foldl (test_neural_fold: foldl(xs) == fold(reversed(xs)))",
    "unfold_stream": "coalgebra.unfold_stream (test_neural_stream: same prefixes)",
    "deepsets": "monad.deepsets (test_neural_geometric: the same map at one channel)",
}


def test_shared_names_are_the_same_object_or_a_lift():
    core = {n for m in CORE for n in m.__all__}
    shared = set(catauto.neural.__all__) & core
    assert shared == SAME_OBJECT | set(LIFTS)
    for name in SAME_OBJECT:
        assert any(getattr(m, name, None) is getattr(catauto.neural, name) for m in CORE)
    assert not hasattr(catauto.neural, "unfold")  # a stream prefix is stream_prefix


def test_one_unfold_into_initial_algebras():
    assert unfold is ana and coalgebra_unfold is ana
    nats = Coalgebra(StreamF(), lambda n: Layer("cons", n, (n + 1,)))
    for call in (lambda: coalgebra_unfold(nats, 0), lambda: ana(nats, 0, StreamF())):
        with pytest.raises(CatautoError, match="no nullary constructor.*unfold_stream"):
            call()
    moore = Coalgebra(MooreF(("a",), (0,)), lambda q: Layer("moore", 0, (q,)))
    with pytest.raises(CatautoError, match="behaviour"):
        hylo(lambda layer: 0, moore, 0)
    with pytest.raises(CatautoError, match="max_layers=5.*never ends.*unfold_stream"):
        ana(lambda n: Layer("cons", n, (n + 1,)), 0, max_layers=5)  # no functor: bounded


def test_stream_unfold_is_unfold_stream_spelled_by_components():
    out, nxt = (lambda x: x % 7), (lambda x: 3 * x + 1)
    coalg = Coalgebra(StreamF(), lambda x: Layer("cons", out(x), (nxt(x),)))
    assert take(Stream.unfold(out, nxt, 2), 12) == take(unfold_stream(coalg, 2), 12)
