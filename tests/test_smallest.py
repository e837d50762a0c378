"""``learn.smallest``: the smallest consistent DFA / Mealy machine, by SAT."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest

from catauto.automata import zoo
from catauto.automata.learn import (
    ContradictionError,
    IOTraces,
    Sample,
    StateBoundError,
    abbadingo_instance,
    smallest,
)


# -- brute force ----------------------------------------------------------------------------
def _all_tables(m: int, k: int, values: int) -> np.ndarray:
    """Every ``m × k`` table with entries in ``range(values)``, as ``[N, m, k]``."""
    return np.array(list(itertools.product(range(values), repeat=m * k))).reshape(-1, m, k)


def _labelled_exists(words: list[list[int]], labels: list, m: int) -> bool:
    """Is there a complete DFA or Moore machine with ``m`` states over two letters whose
    words with one label end in states of one output? (Brute force over the tables.)"""
    for d in _all_tables(m, 2, m):
        out: dict = {}
        for word, lab in zip(words, labels):
            q = 0
            for a in word:
                q = d[q, a]
            if out.setdefault(q, lab) != lab:
                break
        else:
            return True
    return False


def _mealy_exists(inputs: list[list[int]], outputs: list[list[int]], m: int) -> bool:
    """Is there a complete Mealy machine with ``m`` states (two inputs, two outputs)?"""
    delta, outs = _all_tables(m, 2, m), _all_tables(m, 2, 2)
    for d in delta:
        ok = np.ones(len(outs), dtype=bool)
        for word, out in zip(inputs, outputs):
            q = 0
            for a, b in zip(word, out):
                ok &= outs[:, q, a] == b
                q = d[q, a]
        if ok.any():
            return True
    return False


@pytest.mark.parametrize("symmetry", ["clique", "bfs"])
@pytest.mark.parametrize("seed", range(40))
def test_dfa_minimal_against_brute_force(seed, symmetry):
    rng = np.random.default_rng(seed)
    words = sorted({tuple(rng.integers(0, 2, rng.integers(0, 5)).tolist()) for _ in range(7)})
    labels = [bool(rng.integers(0, 2)) for _ in words]
    data = Sample([list(w) for w in words], labels, inputs=(0, 1))
    r = smallest(data, progress=False, symmetry=symmetry)
    assert len(data.misses(r.machine)) == 0
    assert r.proved_minimal
    n = r.machine.n_states
    if n <= 4:
        for m in range(1, n):
            assert not _labelled_exists([list(w) for w in words], labels, m)


@pytest.mark.parametrize("symmetry", ["clique", "bfs"])
@pytest.mark.parametrize("seed", range(30))
def test_mealy_minimal_against_brute_force(seed, symmetry):
    rng = np.random.default_rng(100 + seed)
    m_target = int(rng.integers(1, 4))
    delta = rng.integers(0, m_target, (m_target, 2))
    out = rng.integers(0, 2, (m_target, 2))
    inputs, outputs = [], []
    for _ in range(5):
        word = rng.integers(0, 2, rng.integers(1, 6)).tolist()
        q, o = 0, []
        for a in word:
            o.append(int(out[q, a]))
            q = int(delta[q, a])
        inputs.append(word)
        outputs.append(o)
    data = IOTraces(inputs, outputs, (0, 1), (0, 1))
    r = smallest(data, progress=False, symmetry=symmetry)
    assert len(data.misses(r.machine)) == 0
    assert r.proved_minimal
    n = r.machine.n_states
    assert n <= m_target
    if n <= 3:
        for m in range(1, n):
            assert not _mealy_exists(inputs, outputs, m)


@pytest.mark.parametrize("symmetry", ["clique", "bfs"])
@pytest.mark.parametrize("seed", range(30))
def test_moore_minimal_against_brute_force(seed, symmetry):
    rng = np.random.default_rng(200 + seed)
    words = sorted({tuple(rng.integers(0, 2, rng.integers(0, 5)).tolist()) for _ in range(8)})
    labels = [int(rng.integers(0, 3)) for _ in words]
    data = Sample([list(w) for w in words], [f"o{x}" for x in labels], inputs=(0, 1))
    r = smallest(data, progress=False, symmetry=symmetry)
    assert r.machine.kind == "moore" and len(data.misses(r.machine)) == 0
    assert r.proved_minimal
    n = r.machine.n_states
    if n <= 3:
        for m in range(1, n):
            assert not _labelled_exists([list(w) for w in words], labels, m)


@pytest.mark.parametrize("symmetry", ["clique", "bfs"])
def test_sat_model_read_back(symmetry):
    """A sample where EDSM is not minimal, so the answer comes from a SAT model."""
    found = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        words = sorted({tuple(rng.integers(0, 2, rng.integers(0, 6)).tolist()) for _ in range(9)})
        labels = [bool(rng.integers(0, 2)) for _ in words]
        data = Sample([list(w) for w in words], labels, inputs=(0, 1))
        r = smallest(data, progress=False, symmetry=symmetry)
        assert len(data.misses(r.machine)) == 0
        if r.steps and r.steps[-1].sat:
            found += 1
            assert r.machine.n_states < r.upper_bound
            if r.machine.n_states <= 4:
                for m in range(1, r.machine.n_states):
                    assert not _labelled_exists([list(w) for w in words], labels, m)
            if found >= 5:
                break
    assert found >= 5


# -- Tomita ---------------------------------------------------------------------------------
@pytest.mark.parametrize("k", range(1, 8))
def test_tomita_exact(k):
    rng = np.random.default_rng(k)
    words = ["".join(rng.choice(["0", "1"], rng.integers(0, 11))) for _ in range(150)]
    target = zoo.tomita(k)
    data = Sample(words, [target.accepts(w) for w in words], inputs=("0", "1"))
    r = smallest(data, progress=False)
    assert r.proved_minimal
    assert r.machine.equivalent(target)
    assert r.machine.n_states == target.n_states


# The neural learner's smallest exact samples (bench_neural_learn.py's table: the first N
# of 2,000 balanced words, median of three seeds).
NEURAL_TABLE = {1: 16, 2: 16, 3: 128, 4: 32, 5: 128, 6: 64, 7: 64}


def test_tomita_from_the_neural_tables_sample_sizes():
    """On each sample the answer is proved minimal and as small as the grammar's DFA.
    Where it is another machine, the grammar's DFA is just as small and consistent: the
    data does not single it out, so no exact learner can (Tomita 2 from 16 words, and
    Tomita 3 from seed 0's 128, when written: 17 of 21 runs give the grammar itself)."""
    from sampling import balanced_sample

    exact = 0
    for k, n in NEURAL_TABLE.items():
        target = zoo.tomita(k)
        for seed in range(3):
            data = balanced_sample(target, 2000, seed=seed).subset(range(n))
            r = smallest(data, progress=False)
            assert r.proved_minimal and len(data.misses(r.machine)) == 0
            assert r.machine.n_states == target.minimize().n_states
            assert len(data.misses(target)) == 0
            exact += r.machine.equivalent(target)
    assert exact >= 15


# -- errors and limits -----------------------------------------------------------------------
def test_contradiction():
    with pytest.raises(ContradictionError):
        smallest(Sample(["ab", "ab"], [True, False]), progress=False)
    with pytest.raises(ContradictionError):
        smallest(IOTraces(["ab", "aa"], ["xy", "yx"]), progress=False)


def test_max_states_bound():
    words = ["", "a", "aa", "aaa", "aaaa", "aaaaa"]
    data = Sample(words, [len(w) % 3 == 0 for w in words])
    assert smallest(data, max_states=3, progress=False).machine.n_states == 3
    with pytest.raises(StateBoundError):
        smallest(data, max_states=2, progress=False)


def test_time_limit_honoured():
    inst = abbadingo_instance(16, 160, seed=0)
    t0 = time.perf_counter()
    r = smallest(inst.train, time_limit=1.0, progress=False)
    took = time.perf_counter() - t0
    assert took < 4.0
    assert not r.proved_minimal
    assert r.steps[-1].sat is None
    assert len(inst.train.misses(r.machine)) == 0


def test_progress_lines(capsys):
    words = ["", "a", "aa", "aaa", "b", "ab", "ba", "bb"]
    smallest(Sample(words, [len(w) % 3 == 0 for w in words]), progress=True)
    assert "smallest:" in capsys.readouterr().err


# -- the command line -----------------------------------------------------------------------
def test_cli_learn_smallest(tmp_path, capsys):
    from catauto import cli

    path = tmp_path / "train.csv"
    words = ["", "a", "aa", "aaa", "aaaa", "b", "ab", "ba", "bb", "aab"]
    lines = [f"{' '.join(w)},{'yes' if w.count('a') % 3 == 0 else 'no'}" for w in words]
    path.write_text("word,label\n" + "\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "m.json"
    argv = ["learn", str(path), "--algorithm", "smallest", "--time-limit", "10", "-o", str(model)]
    code = cli.main(argv + ["--max-states", "5"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "smallest:" in captured.err and "minimal" in captured.err
    assert model.exists()
    code = cli.main(argv + ["--max-states", "2"])
    assert code == 2 and "max_states=2" in capsys.readouterr().err


def test_clique_and_bfs_symmetry_agree():
    """Both symmetry breakings find the same size on samples with answers of 3-9 states."""
    for seed in range(20):
        rng = np.random.default_rng(seed)
        words = sorted({tuple(rng.integers(0, 2, rng.integers(0, 7)).tolist()) for _ in range(25)})
        labels = [bool(rng.integers(0, 2)) for _ in words]
        data = Sample([list(w) for w in words], labels, inputs=(0, 1))
        a = smallest(data, progress=False, symmetry="clique")
        b = smallest(data, progress=False, symmetry="bfs")
        assert a.machine.n_states == b.machine.n_states
        assert a.proved_minimal and b.proved_minimal
    with pytest.raises(ValueError, match="symmetry"):
        smallest(data, symmetry="lex")


def test_time_limit_zero_returns_edsm_machine():
    inst = abbadingo_instance(16, 160, seed=0)
    r = smallest(inst.train, time_limit=0, progress=False)
    assert not r.proved_minimal and r.steps == []
    assert r.machine.n_states == r.upper_bound


def test_an_encoding_too_large_stops_the_search(monkeypatch, capsys):
    from catauto.automata.learn.passive import sat

    inst = abbadingo_instance(16, 160, seed=0)
    monkeypatch.setattr(sat, "MAX_CLAUSES", 1000)
    r = smallest(inst.train)
    assert not r.proved_minimal and r.steps == []
    assert r.machine.n_states == r.upper_bound and len(inst.train.misses(r.machine)) == 0
    assert "would have over 1,000 clauses" in capsys.readouterr().err
