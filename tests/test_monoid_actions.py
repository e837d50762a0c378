"""Monoid actions (issue 18, item 5; Rem 2.7 of the paper): ℕ acting on R^n by
truncating shifts is an algebra of M × -, the homomorphism square and equivariant_basis
work for it, and its equivariant linear maps are exactly the causal convolutions."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from catauto.monad import (
    Group,
    MonadAlgebra,
    Monoid,
    action_monad,
    check_action_laws,
    circulant_matrix,
    equivariant_basis,
    is_homomorphism,
    is_invariant,
    truncated_naturals,
    truncating_shifts,
)

sizes = st.integers(1, 6)


def vectors(n):
    return arrays(np.float64, n, elements=st.floats(-5, 5))


def causal(w):
    """The lower-triangular Toeplitz matrix of w: y[i] = sum_{k <= i} w[k] x[i - k]."""
    n = len(w)
    return np.array([[w[i - j] if i >= j else 0.0 for j in range(n)] for i in range(n)])


@given(n=sizes, data=st.data())
def test_truncating_shifts_are_a_monoid_action(n, data):
    M = truncated_naturals(n)
    assert M.check_axioms() and isinstance(M, Monoid)
    xs = [data.draw(vectors(n)) for _ in range(2)]
    act = truncating_shifts(n)
    assert check_action_laws(act, xs)  # via the M × - algebra laws
    T = action_monad(M)
    alg = MonadAlgebra(T, lambda kx: act(kx[0], kx[1]))
    assert alg.check_laws(xs, [(j, (k, xs[0])) for j in M.elements for k in M.elements])


@given(n=st.integers(2, 6), data=st.data())
def test_causal_convolutions_pass_the_square_and_others_fail(n, data):
    act = truncating_shifts(n)
    w = data.draw(arrays(np.float64, n, elements=st.floats(-3, 3)))
    xs = [data.draw(vectors(n)) for _ in range(2)] + [np.eye(n)[0]]
    C = causal(w)
    assert is_homomorphism(lambda x: C @ x, act, act, xs)
    v = np.zeros(n)
    v[-1] = 1.0  # a circulant with an entry above the diagonal: it wraps around
    assert not is_homomorphism(lambda x: circulant_matrix(v) @ x, act, act, [np.eye(n)[n - 1]])
    assert not is_invariant(np.sum, act, [np.ones(n)])  # shifting drops mass


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_equivariant_basis_is_the_causal_convolutions(n):
    act = truncating_shifts(n)
    basis = equivariant_basis(act, act, n)
    assert len(basis) == n
    stacked = np.stack([b.ravel() for b in basis], 1)
    for k in range(n):  # every causal convolution is in the span, and only those
        target = causal(np.eye(n)[k]).ravel()
        coeffs = np.linalg.lstsq(stacked, target, rcond=None)[0]
        assert np.allclose(stacked @ coeffs, target)
    for b in basis:
        assert np.allclose(np.triu(b, 1), 0.0)  # causal: nothing above the diagonal
        assert np.allclose(b, causal(b[:, 0]))  # Toeplitz


def test_a_group_without_inverses_is_reported_not_a_type_error():
    M = truncated_naturals(3)
    broken = Group("N≤3", M.elements, M.mul, None, 0)
    report = broken.check_axioms()
    assert not report and any("Monoid" in f for f in report.failures)
    with pytest.raises(ValueError, match="length 3"):
        truncating_shifts(3)(1, np.zeros(4))
