"""Neural unfolds are streams (issue 18, item 4): neural.stream_prefix takes the core's
StreamF coalgebra shape, and neural.unfold_stream is a lazily extended Stream whose
prefixes equal the core unfold_stream of the same coalgebra and which satisfies the unfold
equations (Eqs 13-14): head(unfold(x)) = o(x), tail(unfold(x)) = unfold(n(x))."""

import jax
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.coalgebra import Coalgebra, LaxCoalgebra, Stream, take
from catauto.coalgebra import unfold_stream as core_unfold_stream
from catauto.functor import Layer, StreamF
from catauto.neural import Para, dense, elman, stream_prefix, unfold_stream

H, K, CHUNK = 4, 7, 3  # K > 2 * CHUNK: the view is extended twice


def _init(key):
    k1, k2 = jax.random.split(jax.random.key(key))
    return {"cell": elman(1, H).init(k1), "out": dense(H, 2).init(k2)}


def _apply(p, h):  # a StreamF Para-coalgebra in the core's shape: h -> cons(y, h')
    y = dense(H, 2).apply(p["out"], h)
    return Layer("cons", y, (elman(1, H).apply(p["cell"], (h, jnp.ones((h.shape[0], 1)))),))


COALG = Para(_init, _apply)
PREFIX = jax.jit(stream_prefix(COALG, K).apply)


def _close(xs, ys):
    assert len(xs) == len(ys)
    for x, y in zip(xs, ys):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_neural_stream_prefixes_equal_the_core_unfold(seed):
    p = _init(seed)
    h0 = jax.random.normal(jax.random.key(seed + 1), (2, H))
    view = unfold_stream(COALG, p, h0, chunk=CHUNK)
    assert isinstance(view, Stream)
    core = core_unfold_stream(lambda h: COALG.apply(p, h), h0)
    _close(take(view, K), take(core, K))
    _close(take(view, K), [PREFIX(p, h0)[:, t] for t in range(K)])
    # Eqs 13-14 on the neural stream: head = o(x), tail = unfold(n(x))
    layer = COALG.apply(p, h0)
    _close([view.head], [layer.label])
    _close(take(view.tail, K), take(unfold_stream(COALG, p, layer.kids[0], chunk=CHUNK), K))
    # and the core's Para-coalgebra, which hands p to every step through the strength
    _close(take(view, K), take(LaxCoalgebra(StreamF(), COALG).unfold_stream(p, h0), K))


def test_view_is_lazy_and_memoised():
    calls = []

    def counting(h):
        calls.append(1)  # runs while tracing only: once per compiled chunk program
        return Layer("cons", h, (h + 1.0,))

    s = unfold_stream(Coalgebra(StreamF(), counting), (), jnp.zeros(1), chunk=4)
    assert [float(y[0]) for y in take(s, 10)] == [float(i) for i in range(10)]
    assert s.drop(9) is s.drop(9)  # memoised: the same chunk is not recomputed
    assert len(calls) == 1  # one compilation for every chunk of this stream


def test_stream_prefix_takes_the_core_coalgebra_and_pairs():
    core = Coalgebra(StreamF(), lambda n: Layer("cons", n % 3.0, (n + 1.0,)))
    got = stream_prefix(core, 5).apply((), jnp.array([0.0, 4.0]))
    assert got.tolist() == [[0.0, 1.0, 2.0, 0.0, 1.0], [1.0, 2.0, 0.0, 1.0, 2.0]]
    pairs = Para.lift(lambda n: (n % 3.0, n + 1.0))  # the (y, h') shape still works
    assert stream_prefix(pairs, 5).apply((), jnp.array([0.0, 4.0])).tolist() == got.tolist()
