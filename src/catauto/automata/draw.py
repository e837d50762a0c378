"""Drawing machines with Graphviz: image files and notebook display.

``to_dot`` (``catauto.automata.dotio``) is pure Python; turning DOT into pictures needs
the ``dot`` program of Graphviz, called through the ``graphviz`` Python package. Without
it, ``render`` and ``svg`` raise a ``CatautoError`` that says how to install it, while
notebooks fall back to showing the DOT text.

>>> from catauto.automata import DFA
>>> m = DFA([[1], [1]], [False, True], inputs="a")
>>> svg(m).startswith("<?xml") if dot_available() else True
True
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from catauto._files import PathLike, atomic_write
from catauto.automata.dotio import to_dot
from catauto.automata.machine import Machine
from catauto.errors import CatautoError, DotNotFoundError

__all__ = ["FORMATS", "DotNotFoundError", "dot_available", "dot_image", "image", "render", "svg"]

FORMATS = ("svg", "png", "pdf")

INSTALL_HINT = (
    "install Graphviz: 'apt-get install graphviz' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS), 'conda install -c conda-forge graphviz', "
    "or see https://graphviz.org/download/"
)



def dot_available() -> bool:
    """Whether Graphviz's ``dot`` program can be found on PATH."""
    return shutil.which("dot") is not None


def image(m: Machine, format: str = "svg", **options: Any) -> bytes:
    """The picture of ``m`` as ``format`` (svg, png, pdf) bytes; ``options`` go to ``to_dot``."""
    return dot_image(to_dot(m, **options), format)


def dot_image(text: str, format: str = "svg") -> bytes:
    """The picture of any DOT ``text`` (a machine's, a soft automaton's) as ``format`` bytes."""
    if format not in FORMATS:
        raise CatautoError(f"cannot draw {format!r}; formats: {', '.join(FORMATS)}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = text[e.start : e.end]
        raise CatautoError(f"cannot draw {bad!r}: Graphviz reads UTF-8 only") from None
    if not dot_available():
        raise DotNotFoundError(
            f"drawing needs Graphviz's 'dot' program, not found on PATH; {INSTALL_HINT}"
        )
    import graphviz  # only here: the package is needed for pictures, not for DOT text

    try:
        return graphviz.Source(text).pipe(format=format)
    except graphviz.ExecutableNotFound:
        raise DotNotFoundError(
            f"Graphviz's 'dot' program could not be run; {INSTALL_HINT}"
        ) from None
    except OSError as e:  # found on PATH but not runnable (permissions, bad binary)
        raise DotNotFoundError(
            f"Graphviz's 'dot' program could not be run ({e.strerror or e}); {INSTALL_HINT}"
        ) from None
    except graphviz.CalledProcessError as e:
        detail = (e.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise CatautoError(f"Graphviz failed: {detail[-1] if detail else e}") from None


def svg(m: Machine, **options: Any) -> str:
    """The SVG picture of ``m`` as text."""
    return image(m, "svg", **options).decode("utf-8")


def render(m: Machine, path: PathLike, format: str | None = None, **options: Any) -> Path:
    """Draw ``m`` into ``path`` (atomically); the format is ``format`` or the extension.

    ``options`` go to ``to_dot`` (``hide_sink``, ``highlight``, ...). A ``.dot`` or
    ``.gv`` path gets the DOT text itself, which needs no Graphviz. Returns the path.
    """
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt in ("dot", "gv"):
        atomic_write(path, to_dot(m, **options))
        return path
    if fmt not in FORMATS:
        got = f"{fmt!r}" if fmt else "no extension"
        raise CatautoError(
            f"{os.fspath(path)}: cannot draw {got}; use .svg, .png, .pdf (or .dot for the text)"
        )
    atomic_write(path, image(m, fmt, **options))
    return path


def mimebundle(m: Machine) -> dict[str, str]:
    """What a notebook shows: the SVG when Graphviz is there, else the DOT text."""
    if dot_available():
        try:
            return {"image/svg+xml": svg(m), "text/plain": repr(m)}
        except CatautoError:
            pass
    note = f"{m!r}\n(no picture: {INSTALL_HINT})\n"
    return {"text/plain": note + to_dot(m)}
