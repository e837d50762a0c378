"""catauto: automata and program semantics as (co)algebras of polynomial functors."""

from catauto.errors import CatautoError

__all__ = ["CatautoError"]
__version__ = "0.1.0"

from catauto.monad import Action, Group, Monad, MonadAlgebra  # noqa: E402
from catauto.para import Para, Reparam  # noqa: E402

__all__ += ["Action", "Group", "Monad", "MonadAlgebra", "Para", "Reparam"]
