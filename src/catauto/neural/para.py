"""The old name of :mod:`catauto.neural.keys`, kept only while ``neural/oracle.py``
imports from it; delete this file once that import names ``catauto.neural.keys``."""

from catauto.neural.keys import as_key, init_params, n_params
from catauto.para import Para, Reparam, split_key

__all__ = ["Para", "Reparam", "as_key", "init_params", "n_params", "split_key"]
