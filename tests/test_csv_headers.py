"""CSV trace files: the header names its columns in any case, with any spaces around
them, in any order, among any other columns; the data read is the same."""

from __future__ import annotations

import csv
import io as _io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata.learn import read_csv

symbols = st.sampled_from(["a", "b", "c"])
words = st.lists(symbols, min_size=0, max_size=4)


def any_case(name: str) -> st.SearchStrategy:
    """``name`` with each letter in either case (mixed case drawn on purpose: never all
    lower case, so the reader must fold it) and blanks around it."""
    flips = st.lists(st.booleans(), min_size=len(name), max_size=len(name))

    def spelled(bits: list) -> str:
        if not any(bits):
            bits = [True] + bits[1:]  # at least one capital
        return "".join(c.upper() if up else c for c, up in zip(name, bits))

    return st.tuples(
        st.sampled_from(["", " ", "  "]), flips.map(spelled), st.sampled_from(["", " "])
    ).map("".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("csv")


def write(folder, header: list, rows: list) -> object:
    out = _io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path = folder / "data.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@st.composite
def tables(draw, columns: tuple[str, str], second: st.SearchStrategy):
    """``(canonical header, drawn header, rows)``: the two named columns among extra
    ones, in a drawn order, the header in any case."""
    extra = draw(st.lists(st.sampled_from(["id", "note", "when"]), unique=True, max_size=2))
    names = draw(st.permutations([*columns, *extra]))
    header = [draw(any_case(n)) if n in columns else n for n in names]
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        word = draw(words)
        value = {columns[0]: " ".join(word), columns[1]: draw(second(word))}
        rows.append([value.get(n, "x") for n in names])
    return names, header, rows


@settings(max_examples=25)
@given(tables(("word", "label"), lambda w: st.sampled_from(["0", "1", "Open", "closed"])))
def test_word_label_header_in_any_case(folder, table) -> None:
    """Law: ``read_csv`` gives the same sample whatever the case of ``word,label``."""
    names, header, rows = table
    assert header != names  # some capital letter in each drawn name
    expected = list(read_csv(write(folder, names, rows)))
    assert list(read_csv(write(folder, header, rows))) == expected


@settings(max_examples=25)
@given(
    tables(
        ("input", "output"),
        lambda w: st.lists(st.sampled_from(["x", "y"]), min_size=len(w), max_size=len(w)).map(
            " ".join
        ),
    )
)
def test_input_output_header_in_any_case(folder, table) -> None:
    """Law: ``read_csv`` gives the same traces whatever the case of ``input,output``."""
    names, header, rows = table
    expected = list(read_csv(write(folder, names, rows)))
    assert list(read_csv(write(folder, header, rows))) == expected


@pytest.mark.parametrize("header", ["Word,Label", "WORD,LABEL", " word , Label "])
def test_capitalised_word_label(folder, header) -> None:
    path = folder / "cap.csv"
    path.write_text(f"{header}\na b,1\nb,0\n", encoding="utf-8")
    assert list(read_csv(path)) == [(("a", "b"), True), (("b",), False)]


@pytest.mark.parametrize("header", ["INPUT,Output", "Input,OUTPUT", "id,Input,Output"])
def test_capitalised_input_output(folder, header) -> None:
    path = folder / "cap.csv"
    lead = "7," if header.startswith("id") else ""
    path.write_text(f"{header}\n{lead}a b,x y\n", encoding="utf-8")
    assert list(read_csv(path)) == [(("a", "b"), ("x", "y"))]
