"""catauto.neural: the JAX layer. Para in JAX, lifted folds and unfolds, cells,
compiling machines into weights, training, geometric (equivariant) layers.

This is the only package of catauto that imports JAX.
"""

from catauto.neural.cells import (
    constant_state,
    dense,
    elman,
    embedding,
    glorot,
    gru,
    learned_state,
    list_algebra,
    lstm,
    mealy_cell,
    mlp,
    moore_cell,
    one_hot,
    tree_algebra,
    tree_lstm,
    tree_rnn,
    tree_tensor,
)
from catauto.neural.compile import CompiledPara, compile_machine, machine_weights
from catauto.neural.fold import (
    PackedForest,
    ParaAlgebra,
    fold,
    foldl,
    pack_forest,
    pack_lists,
    run_mealy,
    run_moore,
    scan,
    split_batch,
    stream_prefix,
    unfold_stream,
)
from catauto.neural.geometric import (
    circular_conv,
    deepsets,
    graph_action,
    group_conv,
    lifting_conv,
    message_passing,
    regular_action,
    set_action,
    sum_pool,
)
from catauto.neural.keys import as_key, init_params, n_params
from catauto.neural.train import (
    Batches,
    FitResult,
    NonFiniteLossError,
    fit,
    load_checkpoint,
    save_checkpoint,
)
from catauto.para import Para, Reparam, split_key

__all__ = [
    "Para",
    "Reparam",
    "as_key",
    "init_params",
    "n_params",
    "split_key",
    "ParaAlgebra",
    "PackedForest",
    "fold",
    "foldl",
    "pack_forest",
    "pack_lists",
    "scan",
    "split_batch",
    "stream_prefix",
    "unfold_stream",
    "run_mealy",
    "run_moore",
    "constant_state",
    "dense",
    "elman",
    "embedding",
    "glorot",
    "gru",
    "learned_state",
    "list_algebra",
    "lstm",
    "mealy_cell",
    "mlp",
    "moore_cell",
    "one_hot",
    "tree_algebra",
    "tree_lstm",
    "tree_rnn",
    "tree_tensor",
    "CompiledPara",
    "compile_machine",
    "machine_weights",
    "Batches",
    "FitResult",
    "NonFiniteLossError",
    "fit",
    "load_checkpoint",
    "save_checkpoint",
    "circular_conv",
    "deepsets",
    "graph_action",
    "group_conv",
    "lifting_conv",
    "message_passing",
    "regular_action",
    "set_action",
    "sum_pool",
]

# -- neural automaton learners (automaton.py, extract.py, oracle.py, soft_draw.py) --
from catauto.neural.automaton import SoftAutomaton, machine_of, relax  # noqa: E402
from catauto.neural.extract import (  # noqa: E402
    InconsistentWarning,
    NeuralResult,
    encode_traces,
    learn_automaton,
)
from catauto.neural.oracle import (  # noqa: E402
    AbstractionOracle,
    RecurrentClassifier,
    RNNTeacher,
    train_classifier,
)
from catauto.neural.soft_draw import snapshots_to_dot, soft_to_dot  # noqa: E402

__all__ += [
    "SoftAutomaton",
    "machine_of",
    "relax",
    "InconsistentWarning",
    "NeuralResult",
    "encode_traces",
    "learn_automaton",
    "AbstractionOracle",
    "RecurrentClassifier",
    "RNNTeacher",
    "train_classifier",
    "snapshots_to_dot",
    "soft_to_dot",
]
