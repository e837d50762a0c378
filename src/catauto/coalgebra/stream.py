"""Streams: the final coalgebra of ``StreamF(A) = A × X``, as lazy, memoised values.

A :class:`Stream` has an eager ``head`` and a ``tail`` computed on first use and then
cached. The unfold of a coalgebra ``x ↦ (o(x), n(x))`` is the unique coalgebra map into
the streams, characterised by the unfold equations::

    head(unfold(x)) = o(x)        tail(unfold(x)) = unfold(n(x))

>>> nats = Stream.unfold(lambda x: x, lambda x: x + 1, 0)
>>> nats.head, take(nats.tail, 3) == take(Stream.unfold(lambda x: x, lambda x: x + 1, 1), 3)
(0, True)
>>> take(nats.map(lambda x: x * x), 5)
(0, 1, 4, 9, 16)
>>> nats
Stream(0, 1, 2, 3, 4, ...)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from catauto.coalgebra.core import Coalgebra
from catauto.errors import CatautoError
from catauto.functor import Layer, StreamF

__all__ = ["Stream", "unfold_stream", "take", "iterate", "streams"]


class Stream:
    """An infinite stream; ``tail`` is computed once, on first access, then memoised."""

    __slots__ = ("head", "_tail", "_make_tail")

    def __init__(self, head: Any, make_tail: Callable[[], Stream]) -> None:
        self.head = head
        self._tail: Stream | None = None
        self._make_tail: Callable[[], Stream] | None = make_tail

    @property
    def tail(self) -> Stream:
        if self._make_tail is not None:
            tail = self._make_tail()
            if not isinstance(tail, Stream):
                raise CatautoError(f"stream tail must be a Stream, got {tail!r}")
            self._tail, self._make_tail = tail, None  # drop the thunk: it may hold a seed
        return self._tail  # type: ignore[return-value]

    @classmethod
    def unfold(cls, out: Callable[[Any], Any], next: Callable[[Any], Any], seed: Any) -> Stream:
        """The stream ``out(seed), out(next(seed)), out(next(next(seed))), ...``: the same
        map as :func:`unfold_stream` of the coalgebra ``x ↦ cons(out(x), next(x))``, given
        by its two components (one concept, spelled two ways; the tests check they agree).
        It is lazier: ``next`` runs only when the tail is read."""
        return cls(out(seed), lambda: cls.unfold(out, next, next(seed)))

    def observe(self) -> Layer:
        """The final coalgebra's structure: ``Layer("cons", head, (tail,))``."""
        return Layer("cons", self.head, (self.tail,))

    def drop(self, n: int) -> Stream:
        s = self
        for _ in range(n):
            s = s.tail
        return s

    def __getitem__(self, n: int) -> Any:
        if not isinstance(n, int) or n < 0:
            raise CatautoError(f"stream index must be an int >= 0, got {n!r}")
        return self.drop(n).head

    def __iter__(self) -> Iterator[Any]:
        s = self
        while True:
            yield s.head
            s = s.tail

    def map(self, f: Callable[[Any], Any]) -> Stream:
        """``map(f)(s) = f(head s) : map(f)(tail s)``; ``map(g ∘ f) = map(g) ∘ map(f)``."""
        return Stream.unfold(lambda s: f(s.head), lambda s: s.tail, self)

    def zip(self, other: Stream) -> Stream:
        """The stream of pairs ``(self[i], other[i])``."""
        return Stream.unfold(
            lambda p: (p[0].head, p[1].head), lambda p: (p[0].tail, p[1].tail), (self, other)
        )

    def __repr__(self) -> str:
        shown, s = [], self
        while len(shown) < 5:  # show only what is already computed: repr never forces
            shown.append(repr(s.head))
            if s._make_tail is not None:
                break
            s = s._tail  # type: ignore[assignment]
        return f"Stream({', '.join(shown)}, ...)"


def unfold_stream(coalg: Callable[[Any], Layer], seed: Any) -> Stream:
    """Unfold a ``StreamF`` coalgebra ``x ↦ Layer("cons", o(x), (n(x),))`` into a stream.

    >>> c = Coalgebra(StreamF(), lambda n: Layer("cons", n % 3, (n + 1,)))
    >>> take(unfold_stream(c, 0), 5)
    (0, 1, 2, 0, 1)
    """
    layer = coalg(seed)
    if not isinstance(layer, Layer) or len(layer.kids) != 1:
        raise CatautoError(f"stream coalgebra returned {layer!r} for {seed!r}: need one kid")
    (nxt,) = layer.kids
    return Stream(layer.label, lambda: unfold_stream(coalg, nxt))


def take(s: Stream, n: int) -> tuple:
    """The first ``n`` elements; iterative, so ``take(s, 100_000)`` does not recurse."""
    out = []
    for i in range(n):
        out.append(s.head)
        if i + 1 < n:
            s = s.tail
    return tuple(out)


def iterate(f: Callable[[Any], Any], x: Any) -> Stream:
    """``x, f(x), f(f(x)), ...``

    >>> take(iterate(lambda x: 2 * x, 1), 5)
    (1, 2, 4, 8, 16)
    """
    return Stream.unfold(lambda y: y, f, x)


streams = Coalgebra(StreamF(), Stream.observe, carrier="Stream")
"""The final ``StreamF`` coalgebra: ``unfold_stream(c)`` is the unique map into it."""
