"""Monad laws, monad algebras, the F-algebra / Free(F)-algebra equivalence, group axioms,
action laws and equivariance (homomorphism squares, solved equivariant bases)."""

import itertools
import operator
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from catauto import CatautoError
from catauto.algebra import Algebra, cata
from catauto.functor import Layer, ListF, NatF, TreeF
from catauto.monad import (
    DISTRIBUTION,
    LIST,
    MAYBE,
    NOTHING,
    Action,
    Group,
    Just,
    MonadAlgebra,
    Pure,
    Roll,
    action_monad,
    check_action_laws,
    circulant,
    circulant_matrix,
    cyclic,
    deepsets,
    dihedral,
    dist_equal,
    equal,
    equivariant_basis,
    free_monad,
    from_monad_algebra,
    is_homomorphism,
    is_invariant,
    permutation_action,
    symmetric,
    to_monad_algebra,
    trivial_action,
    uniform,
    writer,
)

ints = st.integers(-5, 5)


def free_terms(functor, leaves, max_leaves=6):
    """Free terms of ``functor`` over ``leaves`` (a strategy of Pure values)."""

    def label(c):
        if c.labels is None:
            return ints
        return st.sampled_from(tuple(c.labels))

    def extend(kids):
        return st.one_of(
            [
                st.builds(
                    lambda lab, ks, c=c: Roll(Layer(c.name, lab, tuple(ks))),
                    label(c),
                    st.lists(kids, min_size=c.arity, max_size=c.arity),
                )
                for c in functor.constructors
            ]
        )

    closed = [
        st.builds(lambda lab, c=c: Roll(Layer(c.name, lab, ())), label(c))
        for c in functor.constructors
        if c.arity == 0
    ]
    return st.recursive(
        st.one_of([st.builds(Pure, leaves), *closed]), extend, max_leaves=max_leaves
    )


def distributions(outcomes=ints):
    def normalise(pairs):
        total = sum(w for _, w in pairs)
        out = {}
        for o, w in pairs:
            out[o] = out.get(o, 0.0) + w / total
        return out

    weights = st.floats(0.05, 1.0)
    return st.lists(st.tuples(outcomes, weights), min_size=1, max_size=3).map(normalise)


def group_values(group):
    return st.tuples(st.sampled_from(group.elements), ints)


TREE, LISTF = TreeF(range(3)), ListF(("a", "b"))
MONADS = {
    "list": (LIST, st.lists(ints, max_size=3)),
    "maybe": (MAYBE, st.just(NOTHING) | st.builds(Just, ints)),
    "distribution": (DISTRIBUTION, distributions()),
    "writer-str": (writer("", operator.add), st.tuples(st.text("ab", max_size=2), ints)),
    "writer-tuple": (writer((), operator.add), st.tuples(st.tuples(ints), ints)),
    "Z4 x -": (action_monad(cyclic(4)), group_values(cyclic(4))),
    "S3 x -": (action_monad(symmetric(3)), group_values(symmetric(3))),
    "D4 x -": (action_monad(dihedral(4)), group_values(dihedral(4))),
    "free NatF": (free_monad(NatF), free_terms(NatF, ints)),
    "free ListF": (free_monad(LISTF), free_terms(LISTF, ints)),
    "free TreeF": (free_monad(TREE), free_terms(TREE, ints)),
}


def arrows(values):
    return st.functions(like=lambda a: a, returns=values, pure=True)


@pytest.mark.parametrize("name", MONADS)
@given(data=st.data())
def test_monad_laws(name, data):
    T, values = MONADS[name]
    a, m = data.draw(ints), data.draw(values)
    f, g = data.draw(arrows(values)), data.draw(arrows(values))
    assert T.eq(T.bind(T.unit(a), f), f(a)), "left unit"
    assert T.eq(T.bind(m, T.unit), m), "right unit"
    assert T.eq(T.bind(T.bind(m, f), g), T.bind(m, lambda x: T.bind(f(x), g))), "associativity"
    # derived structure: fmap is a functor, join and Kleisli composition agree with bind
    h = lambda x: 2 * x + 1  # noqa: E731
    assert T.eq(T.fmap(lambda x: x, m), m)
    assert T.eq(T.fmap(lambda x: h(h(x)), m), T.fmap(h, T.fmap(h, m)))
    if T is not DISTRIBUTION:  # a distribution of distributions has unhashable outcomes
        assert T.eq(T.join(T.fmap(f, m)), T.bind(m, f))
    assert T.eq(T.kleisli(T.unit, f)(a), f(a)) and T.eq(T.kleisli(f, T.unit)(a), f(a))


@pytest.mark.parametrize("name", MONADS)
@settings(max_examples=25)
@given(data=st.data())
def test_kleisli_composition_laws(name, data):
    """Laws for arbitrary arrows (not only ``unit``): ``(f >=> g)(a) == bind(f(a), g)``
    (first ``f``, then ``g``), Kleisli composition is associative, and ``fmap`` is
    Kleisli composition with ``unit``."""
    T, values = MONADS[name]
    a = data.draw(ints)
    f, g, h = (data.draw(arrows(values)) for _ in range(3))
    assert T.eq(T.kleisli(f, g)(a), T.bind(f(a), g)), "f >=> g is bind(f(a), g)"
    left, right = T.kleisli(T.kleisli(f, g), h), T.kleisli(f, T.kleisli(g, h))
    assert T.eq(left(a), right(a)), "associativity"
    k = lambda x: 3 * x - 1  # noqa: E731
    assert T.eq(T.kleisli(f, lambda x: T.unit(k(x)))(a), T.fmap(k, f(a)))


@given(st.lists(ints, max_size=4), arrows(st.lists(ints, max_size=3)))
def test_list_bind_matches_chain(m, f):
    assert LIST.bind(m, f) == list(itertools.chain.from_iterable(map(f, m)))


@given(distributions(), arrows(distributions()))
def test_distribution_bind_keeps_mass_and_matches_enumeration(m, f):
    out = DISTRIBUTION.bind(m, f)
    assert abs(sum(out.values()) - 1.0) < 1e-9
    for b in out:  # reference: enumerate every path a -> b
        assert abs(out[b] - sum(m[a] * f(a).get(b, 0.0) for a in m)) < 1e-9


def test_distribution_helpers():
    assert dist_equal(uniform("aab"), {"a": 2 / 3, "b": 1 / 3})
    assert not dist_equal({"a": 1.0}, {"b": 1.0})
    with pytest.raises(CatautoError, match="no outcomes"):
        uniform([])


def test_maybe_distinguishes_nested_nothing():
    assert MAYBE.join(Just(NOTHING)) is NOTHING
    assert MAYBE.join(NOTHING) is NOTHING
    assert Just(NOTHING) != NOTHING
    assert repr(NOTHING) == "NOTHING"


def test_equal_tolerates_floats_and_recurses():
    assert equal([1.0, (2.0, np.ones(3))], [1.0 + 1e-12, (2.0, np.ones(3))])
    assert not equal([1.0], (1.0,)) and not equal(np.ones(2), np.ones(3))
    assert equal(Just(np.zeros(2)), Just(np.zeros(2))) and not equal(Just(1), NOTHING)
    assert equal({"a": 1.0}, {"a": 1.0}) and not equal({"a": 1.0}, {"b": 1.0})


# --- monad algebras ---------------------------------------------------------------------

nested_lists = st.lists(st.lists(ints, max_size=3), max_size=3)


@given(st.lists(ints, max_size=3), nested_lists)
def test_sum_is_a_list_algebra(xs, tt):
    report = MonadAlgebra(LIST, sum).check_laws(xs, [tt])
    assert report and report.raise_if_failed() is report


def test_invalid_algebras_fail_with_clear_reports():
    first = MonadAlgebra(LIST, lambda xs: xs[0] if xs else 0)
    assert first.check_laws([1, 2, 3], [[[1]], [[2, 3]]])  # lawful on these samples
    report = first.check_laws([1], [[[], [5]]])
    assert not report and "multiplication law fails" in report.failures[0]
    with pytest.raises(CatautoError, match="list-algebra: 1 law failures"):
        report.raise_if_failed()
    plus_one = MonadAlgebra(MAYBE, lambda m: 0 if m is NOTHING else m.value + 1)
    assert "unit law fails at 3" in plus_one.check_laws([3]).failures[0]
    many = MonadAlgebra(LIST, len).check_laws(range(2, 10))
    with pytest.raises(CatautoError, match="and 3 more"):
        many.raise_if_failed()


@given(ints, st.just(NOTHING) | st.builds(Just, st.just(NOTHING) | st.builds(Just, ints)))
def test_pointed_set_is_a_maybe_algebra(x, tt):
    point = MonadAlgebra(MAYBE, lambda m: 0 if m is NOTHING else m.value)
    assert point.check_laws([x], [tt])


@given(st.text("ab", max_size=3), st.text("ab", max_size=2), st.text("ab", max_size=2))
def test_monoid_acting_on_itself_is_a_writer_algebra(x, u, v):
    W = writer("", operator.add)
    assert MonadAlgebra(W, lambda wx: wx[0] + wx[1]).check_laws([x], [(u, (v, x))])


# --- F-algebras and Free(F)-algebras ----------------------------------------------------

ALGEBRAS = {
    "nat": Algebra(NatF, lambda l: 0 if l.con == "zero" else l.kids[0] + 1),
    "list": Algebra(LISTF, lambda l: 0 if l.con == "nil" else 3 * l.kids[0] + len(l.label)),
    "tree": Algebra(TREE, lambda l: l.label if l.con == "leaf" else l.kids[0] - 2 * l.kids[1]),
}


def carrier_layers(functor):
    return (
        free_terms(functor, ints, max_leaves=1)
        .filter(lambda t: isinstance(t, Roll))
        .map(lambda t: Layer(t.layer.con, t.layer.label, tuple(range(len(t.layer.kids)))))
    )


def closed(t):
    """A free term without Pure leaves as a plain term of μF, else None."""
    if isinstance(t, Pure):
        return None
    kids = tuple(closed(k) for k in t.layer.kids)
    return None if None in kids else Layer(t.layer.con, t.layer.label, kids)


@pytest.mark.parametrize("name", ALGEBRAS)
@settings(max_examples=25)
@given(data=st.data())
def test_free_algebra_equivalence(name, data):
    alg = ALGEBRAS[name]
    F = alg.functor
    ma = to_monad_algebra(alg)
    terms = free_terms(F, ints)
    # the Eilenberg-Moore laws of the interpretation
    t = data.draw(terms)
    nested = data.draw(free_terms(F, terms, max_leaves=4))
    ma.check_laws([data.draw(ints)], [nested]).raise_if_failed()
    # restriction along the generators gives back alg ...
    layer = data.draw(carrier_layers(F))
    assert from_monad_algebra(ma).structure(layer) == alg.structure(layer)
    # ... and extending again gives back ma
    assert to_monad_algebra(from_monad_algebra(ma))(t) == ma(t)
    # on closed terms the interpretation is the fold (independent: catauto.algebra.cata)
    if closed(t) is not None:
        assert ma(t) == cata(alg, closed(t))


@given(free_terms(TREE, ints))
def test_round_trip_from_a_hand_written_free_algebra(t):
    def total(term):  # sum of Pure values and leaf labels, by an explicit stack
        out, stack = 0, [term]
        while stack:
            s = stack.pop()
            if isinstance(s, Pure):
                out += s.value
            elif s.layer.con == "leaf":
                out += s.layer.label
            else:
                stack.extend(s.layer.kids)
        return out

    ma = MonadAlgebra(free_monad(TREE), total)
    back = to_monad_algebra(from_monad_algebra(ma, carrier="int"))
    assert back(t) == total(t)


def test_free_monad_rejects_foreign_values():
    with pytest.raises(CatautoError, match="not a Pure/Roll term"):
        free_monad(NatF).bind(3, Pure)
    with pytest.raises(CatautoError, match="free-monad algebra"):
        from_monad_algebra(MonadAlgebra(LIST, sum))


# --- groups and actions -----------------------------------------------------------------

GROUPS = [cyclic(n) for n in (1, 2, 5)] + [symmetric(n) for n in (1, 3, 4)]
GROUPS += [dihedral(n) for n in (1, 2, 3, 5)]


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
def test_group_axioms_and_orders(group):
    group.check_axioms().raise_if_failed()
    n = int(group.name[1:])
    order = {"Z": n, "S": len(list(itertools.permutations(range(n)))), "D": 2 * n}
    assert len(set(group.elements)) == len(group.elements) == order[group.name[0]]


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
def test_permutation_representation_is_a_homomorphism(group):
    perm = group.permutation
    for g, h in itertools.product(group.elements, repeat=2):
        assert perm(group.mul(g, h)) == tuple(perm(g)[i] for i in perm(h))
    degree = len(perm(group.identity))
    if degree >= 3:  # faithful from the triangle on
        assert len({perm(g) for g in group.elements}) == len(group.elements)


def test_broken_group_fails_axioms():
    bad = Group("Z4-", tuple(range(4)), lambda a, b: (a - b) % 4, lambda a: a, 0)
    report = bad.check_axioms()
    assert not report and any("associative" in f for f in report.failures)
    with pytest.raises(CatautoError, match="group Z4-"):
        report.raise_if_failed()
    with pytest.raises(CatautoError, match="int >= 1"):
        cyclic(0)
    with pytest.raises(CatautoError, match="no permutation representation"):
        permutation_action(bad)


vec = lambda n: arrays(np.float64, n, elements=st.floats(-5, 5))  # noqa: E731


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
@settings(max_examples=8)  # every group element is enumerated anyway
@given(data=st.data())
def test_action_laws(group, data):
    n = len(group.permutation(group.identity))
    xs = [data.draw(vec(n)), data.draw(arrays(np.float64, (2, n), elements=st.floats(-5, 5)))]
    check_action_laws(permutation_action(group), xs).raise_if_failed()
    check_action_laws(trivial_action(group), xs).raise_if_failed()
    check_action_laws(permutation_action(group), [list(range(n))]).raise_if_failed()


@given(vec(5), st.integers(0, 4))
def test_cyclic_action_is_roll(x, k):
    assert np.array_equal(permutation_action(cyclic(5))(k, x), np.roll(x, k))


def test_broken_action_fails():
    z4 = cyclic(4)
    bad = Action(z4, lambda k, x: np.roll(x, 1) if k else x, "roll-by-one")
    report = check_action_laws(bad, [np.arange(4.0)])
    assert not report and "roll-by-one of Z4" in report.what


# --- equivariance -----------------------------------------------------------------------


@given(st.integers(2, 6).flatmap(lambda n: st.tuples(vec(n), vec(n))))
def test_circulant_passes_the_cyclic_square(wx):
    w, x = wx
    shift = permutation_action(cyclic(len(w)))
    assert is_homomorphism(circulant(w), shift, shift, [x, np.stack([x, -x])])
    # independent reference: circular convolution by FFT
    ref = np.real(np.fft.ifft(np.fft.fft(w) * np.fft.fft(x)))
    assert np.allclose(circulant(w)(x), ref)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_random_dense_layer_fails_the_square(n):
    rng = np.random.default_rng(n)
    dense = rng.normal(size=(n, n))
    shift = permutation_action(cyclic(n))
    assert not is_homomorphism(lambda x: dense @ x, shift, shift, [rng.normal(size=n)])


@pytest.mark.parametrize("n", [2, 3, 4])
@given(data=st.data())
def test_deepsets_passes_the_symmetric_square(n, data):
    a, b = data.draw(st.floats(-3, 3)), data.draw(st.floats(-3, 3))
    perm = permutation_action(symmetric(n))
    xs = [data.draw(vec(n)), data.draw(arrays(np.float64, (3, n), elements=st.floats(-5, 5)))]
    for pool in ("sum", "mean"):
        assert is_homomorphism(deepsets(a, b, pool), perm, perm, xs)
    assert is_invariant(np.sum, perm, xs[:1])
    if n >= 3:  # a generic circulant is Z_n- but not S_n-equivariant
        assert not is_homomorphism(
            circulant([1.0, 2.0] + [0.0] * (n - 2)), perm, perm, [np.arange(n) * 1.0]
        )


def test_invariance_and_mismatched_groups():
    perm = permutation_action(symmetric(3))
    assert not is_invariant(lambda x: x[0], perm, [np.array([1.0, 2.0, 3.0])])
    with pytest.raises(CatautoError, match="different groups"):
        is_homomorphism(np.sum, perm, permutation_action(cyclic(3)), [np.zeros(3)])
    with pytest.raises(CatautoError, match="pool"):
        deepsets(1.0, 1.0, pool="max")


def test_homomorphism_square_accepts_jax_arrays():
    jnp = pytest.importorskip("jax.numpy")
    shift = permutation_action(cyclic(4))
    w = np.array([0.5, -1.0, 0.0, 2.0])
    x = jnp.arange(4.0)
    assert is_homomorphism(lambda v: jnp.asarray(circulant(w)(v)), shift, shift, [x])
    dense = jnp.asarray(np.random.default_rng(0).normal(size=(4, 4)))
    assert not is_homomorphism(lambda v: dense @ v, shift, shift, [x])


def orbits_on_pairs(group) -> int:
    """Independent reference: the commutant of a permutation representation has one
    basis matrix per orbit of G on index pairs (i, j)."""
    n = len(group.permutation(group.identity))
    seen, count = set(), 0
    for ij in itertools.product(range(n), repeat=2):
        if ij not in seen:
            count += 1
            seen |= {
                (group.permutation(g)[ij[0]], group.permutation(g)[ij[1]]) for g in group.elements
            }
    return count


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: g.name)
def test_equivariant_basis(group):
    n = len(group.permutation(group.identity))
    act = permutation_action(group)
    basis = equivariant_basis(act, act, n)
    assert len(basis) == orbits_on_pairs(group)
    if group.name[0] == "Z":
        assert len(basis) == n
        # the circulants lie in the span of the basis
        B = np.stack([b.ravel() for b in basis], axis=1)
        for k in range(n):
            c = circulant_matrix(np.eye(n)[k]).ravel()
            assert np.allclose(B @ np.linalg.lstsq(B, c, rcond=None)[0], c)
    if group.name[0] == "S" and n >= 2:
        assert len(basis) == 2
    rng = np.random.default_rng(0)
    samples = [rng.normal(size=n), rng.normal(size=n)]
    for W in basis:
        assert W.shape == (n, n)
        assert is_homomorphism(lambda x, W=W: W @ x, act, act, samples)


def test_equivariant_basis_into_the_trivial_action_is_the_sum():
    s4 = symmetric(4)
    basis = equivariant_basis(permutation_action(s4), trivial_action(s4), 4, 1)
    assert len(basis) == 1 and basis[0].shape == (1, 4)
    assert np.allclose(basis[0] / basis[0][0, 0], np.ones((1, 4)))


def test_permutation_action_checks_the_length():
    s3 = permutation_action(symmetric(3))
    for bad in (np.arange(4.0), np.arange(2.0), np.float64(1.0), np.zeros((3, 2))):
        with pytest.raises(CatautoError, match="S3: expected vectors of length 3"):
            s3((1, 0, 2), bad)
    with pytest.raises(CatautoError, match="length 3"):
        equivariant_basis(s3, s3, 4)
    assert s3((1, 0, 2), np.arange(6.0).reshape(2, 3)).tolist() == [[1, 0, 2], [4, 3, 5]]


# --- deep free terms, symmetric equality --------------------------------------------------


def deep_list(n, bottom):
    """``cons(n-1, cons(n-2, ... cons(0, bottom)))``: a free ListF term ``n`` layers deep."""
    t = bottom
    for i in range(n):
        t = Roll(Layer("cons", i, (t,)))
    return t


def test_deep_free_terms_do_not_recurse():
    n = 10_000
    assert sys.getrecursionlimit() < n
    F = ListF()
    T = free_monad(F)
    length = to_monad_algebra(Algebra(F, lambda l: 0 if l.con == "nil" else 1 + l.kids[0]))
    t = deep_list(n, Roll(Layer("nil")))
    assert length(t) == n
    assert equal(T.bind(t, Pure), t) and not equal(t, deep_list(n, Pure(0)))
    grown = T.bind(deep_list(n, Pure(3)), lambda k: deep_list(k, Roll(Layer("nil"))))
    assert length(grown) == n + 3
    nested = deep_list(n, Pure(deep_list(n, Pure(5))))  # T T A
    length.check_laws([0, 7], [nested]).raise_if_failed()
    off = MonadAlgebra(T, lambda u: length(u) + 1)  # not an algebra
    assert "too deep to show" in off.check_laws([], [nested]).failures[0]


near_pairs = st.tuples(
    st.one_of(st.integers(-3, 3), st.floats(-1e3, 1e3)),
    st.floats(-1e-4, 1e-4),
    st.floats(-1e-7, 1e-7),
).map(lambda t: (t[0], t[0] * (1 + t[1]) + t[2]))  # close to the tolerance
any_values = st.recursive(
    st.integers(-2, 2) | st.floats() | st.booleans() | st.none() | st.text(max_size=1),
    lambda c: st.lists(c, max_size=2) | st.tuples(c, c) | st.builds(Just, c),
    max_leaves=4,
)
wrappers = [lambda x: x, lambda x: (x, 1), lambda x: [x], lambda x: {"k": x}, Just]
cases = st.tuples(near_pairs, st.sampled_from([*wrappers, np.atleast_1d])) | st.tuples(
    st.tuples(any_values, any_values), st.sampled_from(wrappers)
)


@given(case=cases)
def test_equal_is_symmetric(case):
    (a, b), wrap = case
    assert equal(wrap(a), wrap(b)) == equal(wrap(b), wrap(a))
