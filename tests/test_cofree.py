"""The cofree comonad of a polynomial functor (issue 18, item 5): comonad laws to a
fixed depth, and the bijection between F-coalgebras and coalgebras of Cofree(F) (the
dual half of Ex B.19/B.20) as round trips, for streams, lists, trees and Moore machines."""

from hypothesis import given
from hypothesis import strategies as st

from catauto.coalgebra import (
    Coalgebra,
    Cofree,
    cofree_map,
    duplicate,
    extract,
    from_comonad_coalgebra,
    prefix,
    to_comonad_coalgebra,
)
from catauto.functor import Layer, ListF, MooreF, StreamF, TreeF

N, D = 13, 3  # states mod N; cofree values compared to depth D


def coalgebra(kind: str, a: int, b: int) -> Coalgebra:
    """A productive coalgebra of int states mod N, for each functor."""
    if kind == "stream":
        return Coalgebra(StreamF(), lambda s: Layer("cons", s % 3, ((a * s + b) % N,)))
    if kind == "list":  # stops where s % 4 == 0: a finite or infinite colist
        return Coalgebra(
            ListF(),
            lambda s: Layer("nil") if s % 4 == 0 else Layer("cons", s, ((a * s + b) % N,)),
        )
    if kind == "tree":
        return Coalgebra(
            TreeF(),
            lambda s: (
                Layer("leaf", s) if s % 3 == 0 else Layer("node", None, ((a * s) % N, (s + b) % N))
            ),
        )
    return Coalgebra(  # a Moore machine
        MooreF(("x", "y"), None), lambda s: Layer("moore", s % 2, ((s + a) % N, (b * s) % N))
    )


KINDS = st.sampled_from(["stream", "list", "tree", "moore"])
coef = st.integers(0, N - 1)


def same(u, v, depth=D):
    return prefix(u, depth) == prefix(v, depth)


def show_nested(w):
    return prefix(w, 2)


@given(kind=KINDS, a=coef, b=coef, s=coef)
def test_comonad_laws(kind, a, b, s):
    w = to_comonad_coalgebra(coalgebra(kind, a, b))(s)
    assert same(extract(duplicate(w)), w)  # ε ∘ δ = id
    assert same(cofree_map(extract, duplicate(w)), w)  # F(ε) ∘ δ = id
    lhs, rhs = duplicate(duplicate(w)), cofree_map(duplicate, duplicate(w))  # δδ = F(δ)δ
    show = lambda x: prefix(x, 2, show_nested)  # noqa: E731
    assert prefix(lhs, 2, show) == prefix(rhs, 2, show)


@given(kind=KINDS, a=coef, b=coef, s=coef)
def test_coalgebras_correspond_to_comonad_coalgebras(kind, a, b, s):
    c = coalgebra(kind, a, b)
    k = to_comonad_coalgebra(c)
    # k is a comonad coalgebra: ε ∘ k = id, δ ∘ k = Cofree(k) ∘ k
    assert extract(k(s)) == s
    show = lambda x: prefix(x, 2)  # noqa: E731
    assert prefix(duplicate(k(s)), 2, show) == prefix(cofree_map(k, k(s)), 2, show)
    # round trips: from(to(c)) = c, to(from(k)) = k
    assert from_comonad_coalgebra(c.functor, k)(s) == c(s)
    assert same(to_comonad_coalgebra(from_comonad_coalgebra(c.functor, k))(s), k(s))


@given(s=coef)
def test_a_hand_written_comonad_coalgebra_round_trips(s):
    F = StreamF()

    def k(n):  # not built by to_comonad_coalgebra
        return Cofree(F, n, lambda: Layer("cons", n % 2, (k((n + 5) % N),)))

    c = from_comonad_coalgebra(F, k)
    assert c(s) == Layer("cons", s % 2, ((s + 5) % N,))
    assert same(to_comonad_coalgebra(c)(s), k(s), depth=6)


def test_cofree_is_lazy_and_checked():
    calls = []

    def structure(n):
        calls.append(n)
        return Layer("cons", n, (n + 1,))

    w = to_comonad_coalgebra(Coalgebra(StreamF(), structure))(0)
    assert calls == [] and w.head == 0
    assert w.tail.kids[0] is w.tail.kids[0] and calls == [0]
    bad = Cofree(StreamF(), 0, lambda: Layer("cons", 0, (1,)))
    try:
        bad.tail  # noqa: B018
    except ValueError as e:
        assert "Cofree" in str(e)
    else:
        raise AssertionError("a tail whose kids are not Cofree must be refused")
