"""Streams as the final StreamF-coalgebra: the unfold equations, memoisation, laziness."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.coalgebra import Coalgebra, Stream, iterate, streams, take, unfold_stream
from catauto.functor import Layer, StreamF

K = 12  # streams are compared by their first K elements (bisimilar up to K steps)
coef = st.integers(-5, 5)


def affine(a, b):
    return lambda x: (a * x + b) % 101


@settings(max_examples=60)
@given(a=coef, b=coef, c=coef, d=coef, x=st.integers(0, 100))
def test_unfold_equations(a, b, c, d, x):
    o, n = affine(a, b), affine(c, d)
    f = lambda seed: Stream.unfold(o, n, seed)  # noqa: E731
    assert f(x).head == o(x)
    assert take(f(x).tail, K) == take(f(n(x)), K)
    # the same through a StreamF coalgebra
    coalg = Coalgebra(StreamF(), lambda s: Layer("cons", o(s), (n(s),)))
    g = lambda seed: unfold_stream(coalg, seed)  # noqa: E731
    assert g(x).head == o(x) and take(g(x).tail, K) == take(g(n(x)), K)
    # unfold is a coalgebra map into the final coalgebra: observe ∘ g = fmap(g) ∘ coalg
    lhs, rhs = streams.observe(g(x)), StreamF().fmap(g, coalg(x))
    assert lhs.label == rhs.label and take(lhs.kids[0], K) == take(rhs.kids[0], K)


@settings(max_examples=60)
@given(a=coef, b=coef, c=coef, d=coef, x=st.integers(0, 100))
def test_unfold_matches_a_plain_generator(a, b, c, d, x):
    o, n = affine(a, b), affine(c, d)

    def reference(seed):
        while True:
            yield o(seed)
            seed = n(seed)

    s = Stream.unfold(o, n, x)
    assert take(s, K) == tuple(itertools.islice(reference(x), K)) == tuple(itertools.islice(s, K))
    assert [s[i] for i in range(K)] == list(take(s, K)) and s.drop(3).head == s[3]


@settings(max_examples=40)
@given(a=coef, b=coef, c=coef, d=coef, x=st.integers(0, 100))
def test_map_is_a_functor_and_zip_pairs(a, b, c, d, x):
    f, g = affine(a, b), affine(c, d)
    s = iterate(affine(1, 1), x)
    assert take(s.map(lambda y: y), K) == take(s, K)
    assert take(s.map(lambda y: g(f(y))), K) == take(s.map(f).map(g), K)
    assert take(s.zip(s.map(f)), K) == tuple((y, f(y)) for y in take(s, K))


def test_tail_is_computed_once():
    calls = []

    def nxt(x):
        calls.append(x)
        return x + 1

    s = Stream.unfold(lambda x: x, nxt, 0)
    assert calls == []  # lazy: nothing beyond the head yet
    assert s.tail is s.tail and s.tail.tail is s.tail.tail
    assert calls == [0, 1]
    take(s, 5)
    take(s, 5)
    assert calls == [0, 1, 2, 3]


def test_deep_take_does_not_recurse():
    n = 100_000
    s = iterate(lambda x: x + 1, 0)
    assert take(s, n) == tuple(range(n))
    assert take(s, n)[-1] == n - 1  # second time from the memo
    assert s[n - 1] == n - 1
    del s  # freeing a long memoised chain must not recurse either


def test_repr_does_not_force():
    s = iterate(lambda x: x + 1, 0)
    assert repr(s) == "Stream(0, ...)"
    take(s, 3)
    assert repr(s) == "Stream(0, 1, 2, ...)"
    assert repr(s.drop(10)) == "Stream(10, ...)"


def test_bad_streams():
    with pytest.raises(CatautoError, match="need one kid"):
        unfold_stream(lambda s: Layer("cons", s, ()), 0)
    with pytest.raises(CatautoError, match="tail must be a Stream"):
        Stream(1, lambda: (2, 3)).tail  # noqa: B018
    with pytest.raises(CatautoError, match="index"):
        iterate(lambda x: x, 0)[-1]
    assert take(iterate(lambda x: x, 0), 0) == ()
