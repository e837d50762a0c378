"""catauto: automata and program semantics as (co)algebras of polynomial functors."""

from catauto.errors import CatautoError

__all__ = ["CatautoError"]
__version__ = "0.1.0"
