"""Para(F) by strength and lax algebras (issue 18, items 2 and 3): the strength laws
(unit and associativity, naturality in A and in P) as properties; the lift is a functor
on Para; a Para-algebra's fold square commutes up to Δ (and not strictly), and the
comonoid (Δ, !) that the lax structure uses satisfies counit, coassociativity and
cocommutativity as equations between networks built from the lax algebra; Para-coalgebras
unfold through σ to the core's streams and behaviours."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catauto.algebra import cata, lists
from catauto.coalgebra import Coalgebra, LaxCoalgebra, behaviour, take, unfold_stream
from catauto.functor import UNIT, Constructor, Functor, Layer, ListF, MooreF, NatF, StreamF, TreeF
from catauto.para import (
    LaxAlgebra,
    Para,
    Reparam,
    copy,
    delete,
    lift,
    lunitor,
    strength,
    swap,
    tensor,
    unassoc,
)
from catauto.testing import terms

ExprF = Functor(
    "ExprF",
    (
        Constructor("num", tuple(range(5)), 0),
        Constructor("neg", UNIT, 1),
        Constructor("add", UNIT, 2),
        Constructor("if", UNIT, 3),
    ),
)
FUNCTORS = [ListF(), TreeF(), NatF, ExprF]
functors = st.sampled_from(FUNCTORS)
params = st.floats(-2, 2, allow_nan=False)
ident = lambda x: x  # noqa: E731
K = 12  # streams compare by their first K elements


# --- strength laws --------------------------------------------------------------------


@given(F=functors, data=st.data(), p=params, q=params)
def test_strength_laws(F, data, p, q):
    x = data.draw(terms(F, max_nodes=12))  # its top layer is an F(A), A = terms
    # unit: F(lunitor) ∘ σ_{I,A} = lunitor
    assert F.fmap(lunitor, strength(F, (), x)) == x
    # associativity: F(unassoc) ∘ σ_{P,Q▶A} ∘ (P ▶ σ_{Q,A}) = σ_{P⊗Q,A} ∘ unassoc
    assert F.fmap(unassoc, strength(F, p, strength(F, q, x))) == strength(F, (p, q), x)
    # naturality in A: σ ∘ (P ▶ F f) = F(P ▶ f) ∘ σ
    size = lambda t: 1 + sum(size(k) for k in t.kids)  # noqa: E731
    assert strength(F, p, F.fmap(size, x)) == F.fmap(tensor(ident, size), strength(F, p, x))
    # naturality in P: σ ∘ (r ▶ F A) = F(r ▶ A) ∘ σ, for a reparametrisation r
    r = lambda s: round(3 * s + 1, 6)  # noqa: E731
    assert strength(F, r(p), x) == F.fmap(tensor(r, ident), strength(F, p, x))


# --- the lift is a functor on Para ---------------------------------------------------------

scale = Para(lambda key: 2.0, lambda p, x: p * x)
shift = Para(lambda key: 1.0, lambda p, x: math.tanh(x + p))


def numeric_layer(F):
    @st.composite
    def build(draw):
        c = draw(st.sampled_from(F.constructors))
        label = draw(st.sampled_from(c.labels)) if isinstance(c.labels, tuple) else None
        return Layer(c.name, label, tuple(draw(params) for _ in range(c.arity)))

    return build()


@given(F=functors, data=st.data(), p=params, q=params)
def test_lift_is_a_functor(F, data, p, q):
    x = data.draw(numeric_layer(F))
    assert lift(F, scale >> shift)((p, q), x) == (lift(F, scale) >> lift(F, shift))((p, q), x)
    assert lift(F, Para.identity())((), x) == Para.identity()((), x) == x
    halve = Reparam(lambda key: 4.0, lambda s: s / 2)
    assert lift(F, scale.reparam(halve))(p, x) == lift(F, scale).reparam(halve)(p, x)
    # every recursive position reads the one parameter: lift = F(f) ∘ σ
    assert lift(F, shift)(p, x).kids == tuple(shift(p, a) for a in x.kids)


# --- lax algebras: the fold's square commutes up to Δ; the comonoid it uses ----------------


def cell_of(F):
    """A nonlinear numeric Para-algebra of F with parameter (a, b)."""
    index = {c.name: i for i, c in enumerate(F.constructors)}

    def apply(p, layer):
        a, b = p
        label = layer.label if isinstance(layer.label, int) else 0
        v = b * (index[layer.con] + 1) + 0.1 * label
        for j, k in enumerate(layer.kids):
            v += math.tanh(a * k + j)
        return v

    return Para(lambda key: (0.5, 1.0), apply)


LAX = {F.name: LaxAlgebra(F, cell_of(F)) for F in FUNCTORS}
pairs = st.tuples(params, params)


def close(u, v):
    return math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9)


@given(F=functors, data=st.data(), p=pairs)
def test_fold_is_cata_and_its_square_commutes_up_to_copy(F, data, p):
    t = data.draw(terms(F, max_nodes=15))
    alg = LAX[F.name]
    h = alg.fold()
    assert close(h(p, t), cata(lambda layer: alg.cell(p, layer), t))
    lhs, rhs = alg.square()
    layer = t  # a generic term is its own top layer F(μF)
    assert close(lhs(p, layer), rhs.reparam(alg.copy)(p, layer))
    assert close(lhs(p, layer), h(p, t))
    # cocommutativity: swap ∘ Δ serves as well as Δ
    assert close(rhs.reparam(Reparam(alg.cell.init, lambda s: swap(copy(s))))(p, layer), h(p, t))


@given(F=functors, data=st.data(), p=pairs)
def test_comonoid_laws_derived_from_the_lax_square(F, data, p):
    alg = LAX[F.name]
    h = alg.fold()
    lhs, rhs = alg.square()
    # counit: at a nullary layer the lifted fold reads no parameter, so (! ⊗ id) ∘ Δ works
    c0 = next(c for c in F.constructors if c.arity == 0)
    leaf = Layer(c0.name, c0.labels[0] if isinstance(c0.labels, tuple) else None)
    counit = Reparam(alg.cell.init, lambda s: tensor(alg.discard, ident)(copy(s)))
    assert close(rhs.reparam(counit)(p, leaf), lhs(p, leaf))
    # coassociativity: the square unrolled twice, F(F(μF)) -> A, parameter ((P, P), P)
    t = data.draw(terms(F, max_nodes=15))
    twice = lift(F, lift(F, h) >> alg.cell) >> alg.cell
    left = lambda s: tensor(copy, ident)(copy(s))  # noqa: E731  (Δ ⊗ id) ∘ Δ
    right = lambda s: unassoc(tensor(ident, copy)(copy(s)))  # noqa: E731  (id ⊗ Δ) ∘ Δ
    for route in (left, right):
        assert close(twice.reparam(Reparam(alg.cell.init, route))(p, t), h(p, t))
    assert delete(p) == ()


def test_the_square_is_lax_not_strict():
    """At an untied pair (q, p) the two sides differ: the square holds only up to Δ."""
    alg = LAX["TreeF"]
    lhs, rhs = alg.square()
    t = Layer("node", None, (Layer("leaf", 1), Layer("leaf", 2)))
    p, q = (0.5, 1.0), (1.5, -1.0)
    assert close(rhs((p, p), t), lhs(p, t))
    assert not close(rhs((q, p), t), lhs(p, t))
    with pytest.raises(ValueError):  # with kids, ! leaves the lifted fold no parameter
        rhs.reparam(Reparam(alg.cell.init, lambda s: tensor(delete, ident)(copy(s))))(p, t)


def test_lax_fold_on_lists_is_the_right_fold():
    horner = LaxAlgebra(
        ListF(), Para(lambda key: 10, lambda p, l: 0 if l.con == "nil" else p * l.kids[0] + l.label)
    )
    assert horner.fold(lists())(10, (1, 2, 3)) == 321


# --- Para-coalgebras: the unfold reads p at every step through σ ----------------------------


@given(p=st.integers(-3, 3), seed=st.integers(-20, 20))
def test_lax_stream_unfold_is_the_core_unfold_and_commutes_up_to_copy(p, seed):
    cell = Para(lambda key: 1, lambda q, x: Layer("cons", x % 11, ((q * x + 1) % 97,)))
    lax = LaxCoalgebra(StreamF(), cell)
    s = lax.unfold_stream(p, seed)
    assert take(s, K) == take(unfold_stream(lambda x: cell(p, x), seed), K)
    # the square: observe(unfold(p, x)) = F(unfold(p)) (cell(p, x)), both reading one p
    layer = cell(p, seed)
    assert s.head == layer.label
    assert take(s.tail, K) == take(lax.unfold_stream(p, layer.kids[0]), K)
    # σ hands p on: every successor state carries the same parameter
    assert all(q == p for q, _ in [lax.at(p)((p, seed)).kids[0]])


@given(p=st.integers(0, 3), state=st.integers(0, 4))
def test_lax_moore_behaviour_is_the_behaviour_of_the_coalgebra_at_p(p, state):
    F = MooreF(("a", "b"), None)
    cell = Para(lambda key: 0, lambda q, x: Layer("moore", (x * q) % 3, ((x + 1) % 5, (x + q) % 5)))
    lax = LaxCoalgebra(F, cell)
    b = lax.behaviour(p, state, ("a", "b"))
    plain = behaviour(Coalgebra(F, lambda x: cell(p, x)), state, ("a", "b"))
    for word in [(), ("a",), ("b", "a"), ("a", "b", "b"), ("b", "b", "a", "a")]:
        assert b(word) == plain(word)
    assert b.step("a") == lax.behaviour(p, (state + 1) % 5, ("a", "b"))
