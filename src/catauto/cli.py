"""The ``catauto`` command line: ``catauto <command> [options]``.

Exit codes: 0 success, 1 a check failed (``equiv`` found a difference), 2 bad input
(one line on stderr that names the problem, never a traceback).

Every command takes the common options ``--seed`` (used by the commands that draw at
random), ``--quiet`` and ``--output`` (refused by ``demo``, which writes into ``--dir``).
A command is a function ``run(args, out) -> int`` registered with ``@command``, which
also gets the function that adds its arguments and an example for its ``--help``::

    def _learn_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("traces")

    @command("learn", help="learn a machine from traces", example="catauto learn t.txt",
             configure=_learn_args)
    def _learn(args: argparse.Namespace, out: Output) -> int:
        ...
        return 0

``out.print`` writes the command's report to stdout, or to the ``--output`` file
(atomically, once the command succeeds); ``--quiet`` silences it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catauto._files import atomic_write, read_text, text_lines
from catauto.errors import CatautoError

if TYPE_CHECKING:  # the commands import what they need when they run (a fast start)
    from catauto.automata.learn.active.driver import ActiveResult

__all__ = ["COMMANDS", "Command", "Output", "command", "main"]


class Output:
    """Where a command's report goes: stdout, the ``--output`` file, or nowhere."""

    def __init__(self, path: str | None, quiet: bool) -> None:
        self.path, self.quiet = path, quiet
        self.lines: list[str] = []

    def print(self, *parts: object) -> None:
        line = " ".join(str(p) for p in parts)
        if self.quiet:
            return
        if self.path is None:
            print(line, flush=True)
        else:
            self.lines.append(line)

    def close(self) -> None:
        if self.path is not None and not self.quiet:
            atomic_write(self.path, "".join(line + "\n" for line in self.lines))


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    example: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Output], int]
    output_is_report: bool = True  # False: the command writes --output itself


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    *,
    help: str,
    example: str,
    configure: Callable[[argparse.ArgumentParser], None],
    output_is_report: bool = True,
) -> Callable[[Callable[[argparse.Namespace, Output], int]], Callable]:
    """Register a subcommand (see the module docstring)."""

    def register(run: Callable[[argparse.Namespace, Output], int]) -> Callable:
        COMMANDS[name] = Command(name, help, example, configure, run, output_is_report)
        return run

    return register


# -- helpers shared by the commands ---------------------------------------------------


def _read(path: str):
    from catauto.automata import io

    return io.read(path)


def _kind_name(m) -> str:
    return {"dfa": "DFA", "moore": "Moore machine", "mealy": "Mealy machine"}[m.kind]


def _symbols_text(symbols: Sequence[Hashable], limit: int = 12) -> str:
    from catauto.automata.dotio import symbol_text

    shown = [symbol_text(s) for s in symbols[:limit]]
    more = f", ... ({len(symbols) - limit} more)" if len(symbols) > limit else ""
    return ", ".join(shown) + more


def _word_text(word: Sequence[Hashable]) -> str:
    from catauto.automata.dotio import symbol_text

    if not word:
        return "(the empty word)"
    texts = [symbol_text(s) for s in word]
    if any(not t or any(c.isspace() for c in t) for t in texts):
        return repr(list(word))
    return " ".join(texts)


def _parse_word(m, text: str, sep: str | None, where: str):
    """A word typed by the user: symbols split at ``sep`` (white space by default,
    ``""`` = one character each), matched to the inputs by their text."""
    from catauto.automata.dotio import symbol_text

    if sep is None:
        tokens = text.split()
    else:
        tokens = list(text) if sep == "" else text.split(sep) if text else []
    by_text = {symbol_text(s): s for s in m.inputs}
    word = []
    for i, tok in enumerate(tokens):
        if tok not in by_text:
            raise CatautoError(
                f"{tok!r} (symbol {i + 1} of {where} {text!r}) is not an input;"
                f" inputs: {_symbols_text(m.inputs)}"
            )
        word.append(by_text[tok])
    return word


def _outcome(m, word: Sequence[Hashable]) -> str:
    """What ``m`` does on ``word``: accept/reject, or its outputs (as far as defined)."""
    from catauto.automata.dotio import symbol_text

    if m.kind == "dfa":
        return "accept" if m.accepts(word) else "reject"
    codes = m.transduce_batch([word])[0][0].tolist()  # -1 from the first undefined step on
    first = 1 if m.kind == "mealy" else 0  # a Moore machine's outputs start before any input
    outs = []
    for pos, code in enumerate(codes, start=first):
        if code < 0:
            outs.append(f"(undefined at symbol {pos})")
            break
        outs.append(symbol_text(m.outputs[code]))
    return " ".join(outs) if outs else "(no output)"


def _add_word_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sep",
        default=None,
        metavar="SEP",
        help="separator between the symbols of a word (default: white space; '' = each"
        " character is a symbol)",
    )


# -- commands -------------------------------------------------------------------------


def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="machine file (.dot, .gv, .json)")


@command(
    "show",
    help="summarise a machine: kind, sizes, complete?, minimal?",
    example="catauto show model.dot",
    configure=_show_args,
)
def _show(args: argparse.Namespace, out: Output) -> int:
    m = _read(args.model)
    minimal = m.minimize()
    reachable = m.reachable()
    out.print(f"{args.model}: {_kind_name(m)}")
    out.print(f"  states:    {m.n_states} (initial: s{m.initial})")
    if m.kind == "dfa":
        out.print(f"  accepting: {int(m.accepting.sum())}")
    out.print(f"  inputs:    {m.n_inputs} ({_symbols_text(m.inputs)})")
    if m.kind != "dfa":
        out.print(f"  outputs:   {m.n_outputs} ({_symbols_text(m.outputs)})")
    out.print(f"  complete:  {'yes' if m.is_complete else 'no'}")
    out.print(f"  reachable: {reachable.n_states} of {m.n_states}")
    if minimal.n_states == m.n_states:
        out.print("  minimal:   yes")
    else:
        out.print(f"  minimal:   no (the minimal machine has {minimal.n_states} states)")
    return 0


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="machine file (.dot, .gv, .json)")
    p.add_argument("--format", choices=("svg", "png", "pdf", "dot"), help="default: from -o")
    p.add_argument("--hide-sink", action="store_true", help="leave out sink states")
    p.add_argument("--highlight", metavar="WORD", help="colour the run of WORD")
    p.add_argument(
        "--max-label",
        type=int,
        metavar="N",
        help="a readable drawing of a large machine: edge labels of at most N characters"
        " (each state's edge with the most inputs becomes 'other (k)'; long lists and"
        " outputs are cut); try 40 with --hide-sink",
    )
    p.add_argument(
        "--rankdir",
        choices=("LR", "TB", "RL", "BT"),
        default="LR",
        help="layout direction (default: LR, left to right; TB: top to bottom)",
    )
    _add_word_options(p)


@command(
    "render",
    help="draw a machine (svg, png, pdf) with Graphviz",
    example="catauto render model.dot -o model.png --max-label 40 --hide-sink --rankdir TB",
    configure=_render_args,
    output_is_report=False,
)
def _render(args: argparse.Namespace, out: Output) -> int:
    from catauto.automata.draw import render

    m = _read(args.model)
    fmt = args.format
    target = args.output or str(Path(args.model).with_suffix("." + (fmt or "svg")))
    if args.output is None and Path(target).resolve() == Path(args.model).resolve():
        raise CatautoError(f"rendering to {target} would overwrite the model; pass -o FILE")
    highlight = None
    if args.highlight is not None:
        highlight = _parse_word(m, args.highlight, args.sep, "--highlight")
    options = {"hide_sink": args.hide_sink, "highlight": highlight, "rankdir": args.rankdir}
    render(m, target, fmt, max_label=args.max_label, **options)
    out.print(f"wrote {target}")
    return 0


def _minimize_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="machine file (.dot, .gv, .json)")


@command(
    "minimize",
    help="minimise a machine (write it with -o, else print it as DOT)",
    example="catauto minimize model.dot -o minimal.json",
    configure=_minimize_args,
    output_is_report=False,
)
def _minimize(args: argparse.Namespace, out: Output) -> int:
    from catauto.automata import io

    m = _read(args.model)
    small = m.minimize()
    if args.output is None:
        if not args.quiet:
            sys.stdout.write(io.to_dot(small))
        return 0
    io.write(small, args.output)
    out.print(f"{m.n_states} -> {small.n_states} states; wrote {args.output}")
    return 0


def _equiv_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="first machine file")
    p.add_argument("b", metavar="B", help="second machine file")


@command(
    "equiv",
    help="check two machines for equivalence (exit 1 and a shortest counterexample if not)",
    example="catauto equiv learned.dot target.dot",
    configure=_equiv_args,
)
def _equiv(args: argparse.Namespace, out: Output) -> int:
    a, b = _read(args.a), _read(args.b)
    if a.kind != b.kind:
        raise CatautoError(f"cannot compare a {a.kind} ({args.a}) with a {b.kind} ({args.b})")
    word = a.counterexample(b)
    if word is None:
        out.print("equivalent")
        return 0
    word = list(word)
    out.print(f"not equivalent; shortest counterexample: {_word_text(word)}")
    out.print(f"  {args.a}: {_outcome(a, word)}")
    out.print(f"  {args.b}: {_outcome(b, word)}")
    return 1


def _convert_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="IN", help="machine file (.dot, .gv, .json)")
    p.add_argument("out", metavar="OUT", nargs="?", help="target file (or -o)")


@command(
    "convert",
    help="convert a machine between formats (from the extensions: .dot .gv .json)",
    example="catauto convert model.dot model.json",
    configure=_convert_args,
    output_is_report=False,
)
def _convert(args: argparse.Namespace, out: Output) -> int:
    from catauto.automata import io

    target = args.out or args.output
    if target is None:
        raise CatautoError("convert needs an output file: catauto convert IN OUT")
    if args.out and args.output and args.out != args.output:
        raise CatautoError(f"two output files given: {args.out} and {args.output}")
    io.format_of(target)  # refuse an unknown extension before reading
    m = _read(args.input)
    io.write(m, target)
    out.print(f"wrote {target} ({_kind_name(m)}, {m.n_states} states)")
    return 0


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help="machine file (.dot, .gv, .json)")
    p.add_argument("words", metavar="WORD", nargs="*", help="a word: symbols separated by spaces")
    p.add_argument("--file", metavar="FILE", help="read words from FILE, one per line")
    _add_word_options(p)


@command(
    "run",
    help="run words through a machine: acceptance (DFA) or outputs (Moore, Mealy)",
    example="catauto run tomita4.dot '0 1 1 0' '0 0 0'\n  catauto run model.json --file words.txt",
    configure=_run_args,
)
def _run(args: argparse.Namespace, out: Output) -> int:
    m = _read(args.model)
    texts = [(w, f"word {i + 1}") for i, w in enumerate(args.words)]
    if args.file is not None:
        lines = text_lines(read_text(args.file))
        texts += [(line, f"line {n + 1} of {args.file}") for n, line in enumerate(lines)]
    if not texts:
        raise CatautoError("no words given: pass WORD arguments or --file FILE")
    for text, where in texts:
        word = _parse_word(m, text, args.sep, where)
        out.print(f"{_word_text(word)} -> {_outcome(m, word)}")
    return 0


def _read_traces(path: str):
    """A trace file by its extension: .csv, .jsonl, StaMinA (+/- lines), else Abbadingo."""
    from catauto.automata import learn

    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return learn.read_csv(path)
    if suffix in (".jsonl", ".ndjson"):
        return learn.read_jsonl(path)
    first = next((line for line in text_lines(read_text(path)) if line.strip()), "")
    if first.lstrip()[:1] in ("+", "-", "?"):
        return learn.read_stamina(path)
    return learn.read_abbadingo(path)


def _check_learned_outputs(args: argparse.Namespace) -> None:
    """Refuse, before any learning, an -o or --svg that could not be written."""
    from catauto.automata import draw, io

    if args.output:
        io.format_of(args.output)
    if args.svg and not draw.dot_available():
        raise CatautoError(f"{args.svg}: drawing SVG needs Graphviz; {draw.INSTALL_HINT}")


def _write_learned(m, args: argparse.Namespace, out: Output) -> None:
    """Write a learned machine to -o (default: print nothing), its DOT text to --dot and
    its SVG picture to --svg, whatever their extensions; the picture is made first, so a
    Graphviz failure leaves every file as it was."""
    from catauto.automata import draw, io

    picture = draw.image(m, "svg") if args.svg else None
    if args.output:
        io.write(m, args.output)
        out.print(f"wrote {args.output}")
    if args.dot:
        draw.render(m, args.dot, format="dot")
        out.print(f"wrote {args.dot}")
    if picture is not None:
        atomic_write(Path(args.svg), picture)
        out.print(f"wrote {args.svg}")


def _learned_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dot", metavar="FILE", help="also write the machine's drawing as DOT text")
    p.add_argument("--svg", metavar="FILE", help="also draw the machine as SVG (needs Graphviz)")


_TRACE_FORMATS = """
trace files (the format follows the extension; README.md has more):
  .csv    a header row naming the columns, then one trace per row; the symbols
          of a word are separated by spaces, an empty label is unlabelled
            a DFA sample:       input/output traces (a Mealy machine):
            word,label          input,output
            a b,yes             coin push,ok open
            b a,no              push,blocked
  .jsonl  one JSON object per line; words are JSON lists (a string is an error)
          a DFA sample:
            {"word": ["a", "b"], "label": "yes"}
            {"word": ["b", "a"], "label": "no"}
            {"word": [], "label": "no"}
          input/output traces:
            {"input": ["coin", "push"], "output": ["ok", "open"]}
            {"input": ["push"], "output": ["blocked"]}
            {"input": ["coin", "coin"], "output": ["ok", "ok"]}
  other   StaMinA when the first line starts with +, - or ? ("+ a b", "- b a"),
          else Abbadingo ("N A" header, then "label length symbols..." lines)

labels yes/no, true/false, accept/reject, 1/0, +/- (also y/n, accepted/rejected,
positive/negative, pos/neg; any case, one pair per file; JSON true/false) make a
DFA sample; other labels make a Moore sample with the labels as outputs. An empty
file, or one without a trace, is an error."""


def _learn_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "traces",
        help="trace file: .csv, .jsonl, StaMinA or Abbadingo (see 'trace files' below)",
    )
    p.epilog = (p.epilog or "") + "\n" + _TRACE_FORMATS
    p.add_argument(
        "--algorithm", choices=("rpni", "edsm", "neural", "smallest"), default="edsm",
        help="default: edsm; smallest: the fewest states, by SAT",
    )  # fmt: skip
    p.add_argument("--kind", choices=("dfa", "moore", "mealy"), help="default: from the data")
    p.add_argument("--max-states", type=int, help="bound on states (neural: its size, default 10)")
    p.add_argument(
        "--search", type=int, default=0, metavar="W",
        help="edsm: search the W best alternatives of early merges (2 suits sparse data)",
    )  # fmt: skip
    p.add_argument(
        "--beam", type=int, default=1, metavar="B",
        help="edsm --search: keep the B best improved merge paths each round (default 1)",
    )  # fmt: skip
    p.add_argument(
        "--finish", choices=("sat",),
        help="edsm: then SAT on greedy EDSM's prefixes for a smaller machine (DFASAT)",
    )  # fmt: skip
    p.add_argument(
        "--time-limit", type=float, metavar="SECONDS",
        help="edsm --search or --finish / neural / smallest: stop after this long with the"
        " best machine so far",
    )  # fmt: skip
    _learned_options(p)


def _check_learn_options(args: argparse.Namespace) -> None:
    """Refuse options that the chosen algorithm would silently ignore."""
    edsm = args.algorithm == "edsm"
    if (args.search or args.beam != 1) and not edsm:
        raise CatautoError(f"--search and --beam are for --algorithm edsm, not {args.algorithm}")
    if args.finish and not edsm:
        raise CatautoError(f"--finish is for --algorithm edsm, not {args.algorithm}")
    if args.beam != 1 and not args.search:
        raise CatautoError("--beam needs --search W (it widens EDSM's search)")
    timed_edsm = edsm and (args.search or args.finish)
    if args.time_limit is not None and (args.algorithm == "rpni" or (edsm and not timed_edsm)):
        raise CatautoError(
            "--time-limit bounds edsm --search or --finish, neural and smallest runs only"
        )


@command(
    "learn",
    help="learn a machine from a file of traces (passive: RPNI, EDSM, SAT, gradient descent)",
    example="catauto learn train.a --algorithm edsm -o model.json --svg model.svg",
    configure=_learn_args,
    output_is_report=False,
)
def _learn(args: argparse.Namespace, out: Output) -> int:
    import time

    from catauto.automata import learn

    _check_learned_outputs(args)
    _check_learn_options(args)
    data = _read_traces(args.traces)
    start = time.perf_counter()
    if args.algorithm == "neural":
        from catauto import neural

        result = neural.learn_automaton(
            data,
            kind=args.kind,
            max_states=args.max_states or 10,
            seed=args.seed,
            time_limit=args.time_limit,
            progress=not args.quiet,
        )
        m = result.machine
    elif args.algorithm == "edsm":
        m = learn.edsm(
            data,
            args.max_states,
            kind=args.kind,
            search=args.search,
            beam=args.beam,
            time_limit=args.time_limit,
            finish=args.finish,
            progress=not args.quiet,
        )
    elif args.algorithm == "smallest":
        if args.kind is not None and args.kind != data.kind:
            raise CatautoError(f"--algorithm smallest learns {data.kind} from this data")
        m = learn.smallest(
            data, args.max_states, time_limit=args.time_limit, progress=not args.quiet
        ).machine
    else:
        m = learn.rpni(data, args.max_states, kind=args.kind, progress=not args.quiet)
    seconds = time.perf_counter() - start
    accuracy = data.accuracy(m)
    out.print(
        f"{args.algorithm}: {_kind_name(m)} with {m.n_states} states from {len(data)} traces"
        f" in {seconds:.2f} s; training accuracy {accuracy:.1%}"
    )
    _write_learned(m, args, out)
    return 0 if accuracy == 1.0 else 1


def _learn_active_args(p: argparse.ArgumentParser) -> None:
    from catauto.automata.learn.active.driver import ALGORITHMS, ORACLES

    p.add_argument("model", help="machine file (.dot, .gv, .json), learned as a black box")
    p.add_argument(
        "--algorithm", choices=tuple(ALGORITHMS), default="lsharp", help="default: lsharp"
    )
    p.add_argument(
        "--oracle", choices=ORACLES, default="hybrid-ads",
        help="equivalence oracle (default: hybrid-ads, a conformance tester: access word,"
        " infix exhaustive up to 2 then random, a suffix that tells the states apart);"
        " perfect uses the model itself, w and wp are the W- and Wp-method with one extra"
        " state, random-wp, random-w, random-words and random-walk draw tests at random"
        " (see catauto.automata.learn.active.oracle)",
    )  # fmt: skip
    p.add_argument(
        "--tests",
        type=int,
        help="tests per query of hybrid-ads (default 100000), random-wp and random-words"
        " (default 10000)",
    )
    p.add_argument(
        "--error", default="auto", metavar="OUTPUT",
        help="the output after which the system only outputs it (its refusal): queries"
        " stop there and what follows is known; 'auto' (default) finds it from an error"
        " sink of a hypothesis, 'none' turns it off",
    )  # fmt: skip
    p.add_argument(
        "--enabled", action="store_true",
        help="a partial Mealy or Moore model: learn which inputs each state enables along"
        " with the machine (the refusal is the error; --error is not used)",
    )  # fmt: skip
    p.add_argument(
        "--forget-tests",
        action="store_true",
        help="cache only the tests that fail (faster with hundreds of thousands of --tests)",
    )
    _learned_options(p)


@command(
    "learn-active",
    help="learn a model file as a black box by queries (L*, KV, L#) and check the result",
    example="catauto learn-active tcp_client.dot  # L#, hybrid-ads, --error auto",
    configure=_learn_active_args,
    output_is_report=False,
)
def _learn_active(args: argparse.Namespace, out: Output) -> int:
    from catauto.automata.learn.active.driver import learn_active_model

    _check_learned_outputs(args)
    if args.tests is not None and args.oracle not in ("hybrid-ads", "random-wp", "random-words"):
        raise CatautoError(
            "--tests is for the random-wp and random-words oracles and hybrid-ads,"
            f" not {args.oracle}"
        )
    r = learn_active_model(
        _read(args.model),
        args.algorithm,
        args.oracle,
        args.seed,
        n_tests=args.tests,
        keep_tests=not args.forget_tests,
        progress=not args.quiet,
        error=None if args.error == "none" else args.error,
        enabled=args.enabled,
    )
    s = r.stats
    verdict = "equivalent" if r.equivalent else f"NOT equivalent (e.g. on {r.counterexample})"
    out.print(
        f"{args.algorithm}: {r.machine.n_states} states, {s.rounds} rounds, {s.mq} membership"
        f" queries, {s.eq} equivalence queries ({s.tests} tests), {s.symbols} symbols,"
        f" {s.resets} resets; {verdict}"
    )
    if not r.equivalent:
        out.print(_what_to_try(r, args))
    _write_learned(r.machine, args, out)
    return 0 if r.equivalent else 1


def _what_to_try(r: ActiveResult, args: argparse.Namespace) -> str:
    """What to try when learn-active's result differs from the model it was given."""
    n, cex = r.target.minimize().n_states, r.counterexample or ()
    hint = (
        f"hint: the model has {n} states (minimal), the result {r.machine.n_states}; the"
        f" shortest word telling them apart has {len(cex)} inputs."
    )
    if args.oracle == "perfect":
        return hint
    if args.oracle in ("w", "wp"):
        missing = n - r.machine.n_states
        advice = (
            f" The {args.oracle} method finds every fault within one extra state, and the"
            f" result lacks {missing}: try --oracle random-wp --tests 100000 --forget-tests"
        )
    else:
        tests = 10 * (args.tests or 10000) if args.oracle in ("random-wp", "random-words") else 0
        more = f"--tests {tests} --forget-tests" if tests else "--oracle random-wp --tests 100000"
        advice = (
            f" The {args.oracle} oracle's random tests missed it: try more tests ({more}) or"
            " a complete suite (--oracle wp: every fault within one extra state)"
        )
    return hint + advice + ", or --oracle perfect to check the learner alone."


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dir", default=".", help="where report.html goes (default: here)")
    p.add_argument(
        "--data", metavar="DIR",
        help="the automata_data folder (default: shared/automata_data beside the repository)",
    )  # fmt: skip
    p.add_argument("--strict", action="store_true", help="exit 1 unless every result is exact")


@command(
    "demo",
    help="learn Tomita 4 and a TCP model four ways, check them, write report.html",
    example="catauto demo --dir out",
    configure=_demo_args,
    output_is_report=False,
)
def _demo(args: argparse.Namespace, out: Output) -> int:
    from catauto import demo

    if Path(args.dir).exists() and not Path(args.dir).is_dir():
        raise CatautoError(f"{args.dir}: not a folder (--dir is where report.html goes)")
    if args.output:
        raise CatautoError("demo writes report.html into --dir; it takes no -o")
    data = Path(args.data) if args.data else None
    return demo.main(Path(args.dir), args.seed, data, args.quiet, args.strict)


# -- the parser -----------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage plus message.

    A command's parser reads options and positionals in any order (``run m.dot --sep ''
    0110 1001`` as well as ``run m.dot 0110 --sep '' 1001``), which plain argparse does
    not do for a ``nargs="*"`` positional that follows an option.
    """

    intermixed = False
    _parsing = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if not self.intermixed or self._parsing:
            return super().parse_known_args(args, namespace)
        self._parsing = True  # parse_known_intermixed_args calls back into this method
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._parsing = False

    def error(self, message: str) -> None:  # type: ignore[override]
        message = " ".join(message.split())
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--seed", type=int, default=0,
        help="random seed of the commands that draw at random: learn, learn-active, demo"
        " (default 0)",
    )  # fmt: skip
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    common.add_argument("-o", "--output", metavar="FILE", help="write the result to FILE")
    return common


def build_parser() -> argparse.ArgumentParser:
    from catauto import __version__

    parser = _Parser(
        prog="catauto",
        description="Automata as coalgebras: read, draw, minimise, compare and run machines.",
        epilog="example:\n  catauto show model.dot\n\n'catauto COMMAND --help' shows an"
        " example for each command. Exit codes: 0 ok, 1 a check failed, 2 bad input.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"catauto {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    common = _common()
    for cmd in COMMANDS.values():
        p = sub.add_parser(
            cmd.name,
            help=cmd.help,
            description=cmd.help,
            parents=[common],
            epilog=f"example:\n  {cmd.example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        cmd.configure(p)
        # argparse cannot intermix around a REMAINDER positional: such a command keeps order
        p.intermixed = all(a.nargs != argparse.REMAINDER for a in p._actions)
    return parser


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if (  # an OSError of Python's own; a CatautoError (MissingFileError) says it better
        isinstance(error, OSError)
        and not isinstance(error, CatautoError)
        and error.filename is not None
        and error.strerror
    ):
        text = f"{error.filename}: {error.strerror}"
    return text or type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version, or a usage error already reported
        return e.code if isinstance(e.code, int) else 2
    cmd = COMMANDS[args.command]
    out = Output(args.output if cmd.output_is_report else None, args.quiet)
    try:
        code = cmd.run(args, out)
        out.close()
        return code
    except (CatautoError, OSError, UnicodeError, RecursionError, MemoryError) as e:
        sys.stdout.flush()
        print(f"catauto {cmd.name}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"catauto {cmd.name}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
