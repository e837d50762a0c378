"""A pool of system instances that answers a batch of queries concurrently.

A real system under learning is often slow (a network protocol answers in
milliseconds), and many of a learner's queries do not depend on each other: the tests
of an equivalence oracle, the frontier queries of one round of L#. A
:class:`SystemPool` runs such a *batch* on several instances of the system at once, on
any :class:`concurrent.futures.Executor`: threads for systems that wait on I/O,
processes, or the executor of a distributed engine (Dask's ``client.get_executor()``).

``factory()`` makes a fresh system with ``reset()``/``step(symbol)`` (as for
:class:`~.system.StepSystem`). Each worker (a thread, a process) makes its own instance
on first use and keeps it, so an instance is never driven by two queries at once. Work
sent to another process is pickled by the executor: there the factory, the input
symbols and the outputs must pickle (a module-level function or a
``functools.partial`` as the factory).

What makes the result independent of the pool: a batch's *contents* never depend on
the number of workers (the teacher's ``batch`` setting sizes the oracles' batches; L#'s
rounds are what they are), the words of a batch are run whole, and their outputs are
interned and recorded in batch order in the calling thread. So a teacher over a pool
of 1, 4 or 8 workers gives the same answers, the same counts and the same hypothesis.
Queries that choose their inputs as they run (L#'s adaptive distinguishing sequences,
see :meth:`~.system.System.run_adaptive`) are not batched: they run on one instance in
the calling thread (made by ``factory()`` there).

>>> from concurrent.futures import ThreadPoolExecutor
>>> class Parity:                  # Moore: the parity of the 'a's so far
...     def reset(self):
...         self.n = 0
...         return 0
...     def step(self, symbol):
...         self.n += symbol == "a"
...         return self.n % 2
>>> with SystemPool(Parity, "ab", "moore", workers=2) as pool:
...     pool.run_many([(0, 0, 1), (1, 0)])
[[0, 1, 0, 0], [0, 0, 1]]
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from catauto.automata.learn.active.system import System
from catauto.errors import LearningError, check_count

__all__ = ["SystemPool"]


class _Never:
    """An expected output that no output equals (the hypothesis has none there)."""

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


_instances = threading.local()  # per worker thread (or process): pool key -> instance


def _instance(key: str, factory: Callable[[], Any]) -> Any:
    table = getattr(_instances, "table", None)
    if table is None:
        table = _instances.table = {}
    sul = table.get(key)
    if sul is None:
        sul = table[key] = factory()
    return sul


def _run_chunk(
    key: str,
    factory: Callable[[], Any],
    moore: bool,
    words: list[list],
    expected: list[list] | None,
    stop: Any = None,
) -> list[list]:
    """Run words of symbols on this worker's instance; their output words (symbols).

    With ``expected`` a run stops after its first output that differs; with ``stop``
    (a list of one output symbol) after its first output equal to that symbol."""
    sul = _instance(key, factory)
    results = []
    for j, word in enumerate(words):
        exp = None if expected is None else expected[j]
        first = sul.reset()
        outs = [first] if moore else []
        shift = len(outs)
        if moore and (
            (stop is not None and first == stop[0]) or (exp is not None and first != exp[0])
        ):
            results.append(outs)
            continue
        step = sul.step
        for i, s in enumerate(word):
            o = step(s)
            outs.append(o)
            if (stop is not None and o == stop[0]) or (exp is not None and o != exp[i + shift]):
                break
        results.append(outs)
    return results


class SystemPool(System):
    """Instances of a reset/step system made by ``factory()``, run concurrently.

    ``executor``: any :class:`concurrent.futures.Executor` (not shut down by the pool);
    without one the pool makes a ``ThreadPoolExecutor`` of ``workers`` threads (shut
    down by :meth:`close`, or at the end of a ``with`` block). ``workers`` also sets
    how many pieces a batch is cut into (four per worker, for balance); it changes
    nothing but the wall time.
    """

    def __init__(
        self,
        factory: Callable[[], Any],
        inputs: Iterable[Hashable],
        kind: str,
        *,
        workers: int = 4,
        executor: Executor | None = None,
    ) -> None:
        super().__init__(inputs, kind)
        if not callable(factory):
            raise LearningError(f"the factory must be callable, got {type(factory).__name__}")
        self.factory = factory
        self.workers = check_count("workers", workers, 1, LearningError)
        self._own = executor is None
        self.executor = ThreadPoolExecutor(self.workers) if executor is None else executor
        self.key = uuid.uuid4().hex
        self._local: Any = None  # the calling thread's instance (adaptive queries)

    # -- one run in the calling thread (adaptive queries) -----------------------------------
    def reset(self) -> int:
        if self._local is None:
            self._local = self.factory()
        return self.initial_output(self._local.reset())

    def step(self, a: int) -> int:
        return self.intern(self._local.step(self.inputs[a]))

    # -- batches ------------------------------------------------------------------------------
    def run(
        self, word: Sequence[int], expected: Sequence[int] | None = None, stop: int = -1
    ) -> list[int]:
        return self.run_many([word], None if expected is None else [expected], stop)[0]

    def run_many(
        self,
        words: Sequence[Sequence[int]],
        expected: Sequence[Sequence[int] | None] | None = None,
        stop: int = -1,
    ) -> list[list[int]]:
        n = len(words)
        if not n:
            return []
        inputs, outputs = self.inputs, self.outputs
        sym_words = [[inputs[a] for a in w] for w in words]
        sym_expected = None
        if expected is not None:
            never = _Never()
            sym_expected = [
                None if e is None else [outputs[o] if o >= 0 else never for o in e]
                for e in expected
            ]
        pieces = min(n, 4 * self.workers)
        bounds = [n * i // pieces for i in range(pieces + 1)]
        futures = [
            self.executor.submit(
                _run_chunk,
                self.key,
                self.factory,
                self.moore,
                sym_words[lo:hi],
                None if sym_expected is None else sym_expected[lo:hi],
                None if stop < 0 else [outputs[stop]],
            )
            for lo, hi in zip(bounds, bounds[1:], strict=False)
        ]
        results: list[list[int]] = []
        intern = self.intern
        for f in futures:  # in batch order: outputs are interned the same whatever the pool
            for outs in f.result():
                if self.moore:
                    results.append([self.initial_output(outs[0]), *(intern(o) for o in outs[1:])])
                else:
                    results.append([intern(o) for o in outs])
        return results

    # -- lifetime -------------------------------------------------------------------------------
    def close(self) -> None:
        """Shut down the executor the pool made (one given to it is left running)."""
        if self._own:
            self.executor.shutdown(wait=True)

    def __enter__(self) -> SystemPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
