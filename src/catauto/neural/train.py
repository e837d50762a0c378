"""Training loops: :func:`fit` minimises ``loss(params, batch)`` with an optax optimiser.

What it does, in order of an epoch: a seeded permutation of the data (the permutation of
epoch ``e`` depends only on ``(seed, e)``, so a resumed run sees the same batches as an
uninterrupted one), one jitted step per minibatch, a check that the loss is finite (a
:class:`NonFiniteLossError` names the step otherwise), the epoch's validation loss,
early stopping, and an atomic checkpoint.

Data parallelism: ``devices=[d0, d1, ...]`` builds a ``jax.sharding.Mesh`` with one
axis ``"batch"``; each minibatch is sharded along its leading axis, parameters and
optimiser state are replicated, and XLA inserts the gradient all-reduce. One device is
the same code with a mesh of one.

Checkpoints (no pickle): ``checkpoint_dir/checkpoint.json`` (metadata: epoch, step,
history, early-stopping state, the data file's name) and ``ckpt-<step>.npz`` with the
leaves of the parameters, optimiser state and best parameters. Both are written
atomically, the npz first, so the JSON always names a complete npz. ``resume=True``
continues from it; the structures are rebuilt from the ``params`` and ``optimizer``
given, and a mismatch is a :class:`~catauto.CatautoError` that names the file.

>>> import jax.numpy as jnp, optax
>>> X = jnp.linspace(-1, 1, 64)[:, None]; Y = 3 * X + 1
>>> loss = lambda p, b: jnp.mean((b[0] @ p["w"] + p["b"] - b[1]) ** 2)
>>> r = fit(loss, {"w": jnp.zeros((1, 1)), "b": jnp.zeros(1)}, (X, Y),
...         optimizer=optax.sgd(0.5), epochs=30, batch_size=16, progress=False)
>>> round(float(r.params["w"][0, 0]), 2), round(float(r.params["b"][0]), 2)
(3.0, 1.0)
"""

from __future__ import annotations

import functools
import io
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jax
import numpy as np
import optax
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from catauto._files import atomic_write, read_text
from catauto.errors import CatautoError, NonFiniteLossError, check_count

__all__ = [
    "Batches",
    "FitResult",
    "NonFiniteLossError",
    "fit",
    "save_checkpoint",
    "load_checkpoint",
]

_FORMAT = "catauto.fit-checkpoint"
_DEFAULT_OPTIMIZER = optax.adam(1e-3)
_VERSION = 1


class Batches(list):
    """Ready-made minibatches (any pytrees, e.g. packed forests of different buckets).

    :func:`fit` visits them in a seeded random order each epoch instead of slicing arrays.
    """


@dataclass
class FitResult:
    """Outcome of :func:`fit`. ``params`` are the best ones when early stopping is on
    (``patience`` given), else the last; ``history`` has one dict per epoch."""

    params: Any
    opt_state: Any
    history: list[dict] = field(default_factory=list)
    step: int = 0
    epoch: int = 0
    best_epoch: int | None = None
    stopped_early: bool = False


# --- data ---------------------------------------------------------------------------------


def _n_rows(data: Any) -> int:
    leaves = jax.tree.leaves(data)
    if not leaves:
        raise CatautoError("fit: the data holds no arrays")
    sizes = {np.shape(leaf)[0] if np.ndim(leaf) else None for leaf in leaves}
    if len(sizes) != 1 or None in sizes:
        raise CatautoError(
            f"fit: every array in the data needs the same leading (example) axis, got {sizes}; "
            "pass ready minibatches as Batches([...]) otherwise"
        )
    return sizes.pop()


def _minibatches(data: Any, batch_size: int | None, rng: np.random.Generator | None) -> list:
    if isinstance(data, Batches):
        order = rng.permutation(len(data)) if rng is not None else range(len(data))
        return [data[i] for i in order]
    n = _n_rows(data)
    size = n if batch_size is None else min(batch_size, n)
    order = rng.permutation(n) if rng is not None else np.arange(n)
    host = jax.tree.map(np.asarray, data)
    # Only full batches: one shape, one compilation (the remainder rotates with the seed).
    return [
        jax.tree.map(lambda a, idx=order[i : i + size]: a[idx], host)
        for i in range(0, n - size + 1, size)
    ]


# --- checkpoints -------------------------------------------------------------------------


def _leaves_npz(groups: dict[str, Any]) -> bytes:
    arrays = {}
    for name, tree in groups.items():
        for i, leaf in enumerate(jax.tree.leaves(tree)):
            arrays[f"{name}/{i}"] = np.asarray(leaf)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def save_checkpoint(directory: str | os.PathLike, state: dict[str, Any], meta: dict) -> Path:
    """Write ``state`` (name -> pytree) and ``meta`` atomically; returns the JSON's path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    npz_name = f"ckpt-{meta.get('step', 0):08d}.npz"
    atomic_write(directory / npz_name, _leaves_npz(state))
    meta = {
        "format": _FORMAT,
        "version": _VERSION,
        **meta,
        "npz": npz_name,
        "leaves": {k: len(jax.tree.leaves(v)) for k, v in state.items()},
    }
    path = directory / "checkpoint.json"
    old = _read_meta(path)["npz"] if path.exists() else None
    atomic_write(path, json.dumps(meta, indent=1))
    if old and old != npz_name:
        (directory / old).unlink(missing_ok=True)
    return path


def _read_meta(path: Path) -> dict:
    try:
        meta = json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise CatautoError(f"{path}:{e.lineno}: not a checkpoint (bad JSON: {e.msg})") from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise CatautoError(f"{path}: not a catauto fit checkpoint (format {_FORMAT!r})")
    if meta.get("version") != _VERSION:
        raise CatautoError(f"{path}: checkpoint version {meta.get('version')}, need {_VERSION}")
    missing = {"npz", "leaves"} - set(meta)
    if missing:
        raise CatautoError(f"{path}: checkpoint metadata lacks {sorted(missing)}")
    return meta


def load_checkpoint(directory: str | os.PathLike, like: dict[str, Any]) -> tuple[dict, dict]:
    """Read a checkpoint into pytrees shaped like ``like`` (name -> template pytree).

    Returns ``(state, meta)``; a missing group, a leaf count or shape that does not
    match raises :class:`~catauto.CatautoError` naming the file.
    """
    directory = Path(directory)
    meta = _read_meta(directory / "checkpoint.json")
    npz_path = directory / meta["npz"]
    try:
        with np.load(npz_path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as e:
        raise CatautoError(f"{npz_path}: cannot read checkpoint data: {e}") from None
    state = {}
    for name, template in like.items():
        leaves, treedef = jax.tree.flatten(template)
        stored = meta["leaves"].get(name)
        if stored is None:
            state[name] = None
            continue
        if stored != len(leaves):
            raise CatautoError(
                f"{npz_path}: {name} has {stored} arrays, the model/optimizer given has "
                f"{len(leaves)}: was it saved by another model?"
            )
        loaded = []
        for i, leaf in enumerate(leaves):
            a = arrays[f"{name}/{i}"]
            if a.shape != np.shape(leaf):
                raise CatautoError(
                    f"{npz_path}: {name} array {i} has shape {a.shape}, expected {np.shape(leaf)}"
                )
            loaded.append(a.astype(np.asarray(leaf).dtype))
        state[name] = jax.tree.unflatten(treedef, loaded)
    return state, meta


# --- progress -------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on stderr (silent when disabled)."""

    def __init__(self, enabled: bool, epochs: int, stream: Any = None) -> None:
        self.enabled, self.epochs = enabled, epochs
        self.stream = stream or sys.stderr
        self.tty = enabled and getattr(self.stream, "isatty", lambda: False)()
        self.last = 0.0

    def update(self, epoch: int, done: int, total: int, loss: float) -> None:
        now = time.monotonic()
        if not self.tty or now - self.last < 0.1:
            return
        self.last = now
        bar = "#" * int(20 * done / max(total, 1))
        self.stream.write(
            f"\repoch {epoch + 1}/{self.epochs} [{bar:<20}] {done}/{total} loss {loss:.4g}"
        )
        self.stream.flush()

    def epoch_end(self, record: dict) -> None:
        if not self.enabled:
            return
        extra = "".join(f" {k} {v:.4g}" for k, v in record.items() if k not in ("epoch", "seconds"))
        line = f"epoch {record['epoch'] + 1}/{self.epochs}{extra} ({record['seconds']:.1f}s)"
        self.stream.write(f"\r{line}\x1b[K\n" if self.tty else f"{line}\n")
        self.stream.flush()


# --- fit ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _compiled(loss: Callable, optimizer: optax.GradientTransformation, replicated: Any) -> tuple:
    """The jitted train step and loss, cached so that repeated fits (same loss function,
    optimizer object and mesh) reuse one compilation."""

    def train_step(p: Any, s: Any, batch: Any) -> tuple[Any, Any, jax.Array]:
        value, grads = jax.value_and_grad(loss)(p, batch)
        updates, s = optimizer.update(grads, s, p)
        return optax.apply_updates(p, updates), s, value

    step_fn = jax.jit(train_step, out_shardings=(replicated, replicated, replicated))
    return step_fn, jax.jit(loss, out_shardings=replicated)


def fit(
    loss: Callable[[Any, Any], jax.Array],
    params: Any,
    data: Any,
    *,
    optimizer: optax.GradientTransformation | None = None,
    opt_state: Any = None,
    epochs: int = 10,
    batch_size: int | None = 32,
    seed: int = 0,
    val_data: Any = None,
    patience: int | None = None,
    min_delta: float = 0.0,
    checkpoint_dir: str | os.PathLike | None = None,
    checkpoint_every: int = 1,
    resume: bool = False,
    progress: bool = True,
    devices: Sequence[jax.Device] | None = None,
    callback: Callable[[dict, Any], bool | None] | None = None,
) -> FitResult:
    """Minimise ``loss(params, batch) -> scalar`` over minibatches of ``data``.

    ``data``: a pytree of arrays sharing a leading example axis (sliced into full
    minibatches of ``batch_size``, ``None`` for full batch), or :class:`Batches`.
    ``val_data`` likewise (evaluated with the same ``loss``, averaged over its batches).
    ``optimizer``: optax, default ``adam(1e-3)``; ``opt_state``: its state to go on
    from (a previous ``FitResult.opt_state``; default a fresh ``optimizer.init``).
    Early stopping watches the validation loss (the training loss without ``val_data``):
    after ``patience`` epochs without an improvement of more than ``min_delta`` it stops
    and returns the best parameters.
    ``callback(record, params)`` runs after each epoch; returning True stops training.
    ``progress`` writes a bar to stderr. Reproducible: same seed, same result.
    """
    optimizer = optimizer or _DEFAULT_OPTIMIZER
    devices = list(devices) if devices is not None else jax.devices()[:1]
    if len(devices) > 1 and isinstance(data, Batches):
        raise CatautoError("fit: data-parallel training (several devices) needs array data")
    if batch_size is not None:
        check_count("fit: batch_size", batch_size, 1)
    if batch_size is not None and batch_size % len(devices):
        raise CatautoError(
            f"fit: batch_size {batch_size} is not divisible by the {len(devices)} devices"
        )
    mesh = Mesh(np.array(devices), ("batch",))
    replicated = NamedSharding(mesh, P())
    sharded = NamedSharding(mesh, P("batch"))

    params = jax.device_put(params, replicated)
    if opt_state is None:
        opt_state = optimizer.init(params)
    opt_state = jax.device_put(opt_state, replicated)

    step_fn, eval_fn = _compiled(loss, optimizer, replicated)

    def put(batch: Any) -> Any:
        if isinstance(data, Batches):
            return jax.device_put(batch, replicated)
        rows = _n_rows(batch)
        if rows % len(devices):
            raise CatautoError(
                f"fit: a minibatch of {rows} examples cannot be split over {len(devices)} devices"
            )
        return jax.device_put(batch, sharded)

    result = FitResult(params=params, opt_state=opt_state)
    best_value, best_params, bad_epochs, start = math.inf, None, 0, 0
    if (
        resume
        and checkpoint_dir is not None
        and (Path(checkpoint_dir) / "checkpoint.json").exists()
    ):
        like = {"params": params, "opt_state": opt_state, "best_params": params}
        state, meta = load_checkpoint(checkpoint_dir, like)
        missing = {"epoch", "step", "history", "best", "best_epoch", "bad_epochs", "stopped"}
        missing -= set(meta)
        if missing:
            raise CatautoError(
                f"{Path(checkpoint_dir) / 'checkpoint.json'}: not written by fit, "
                f"lacks {sorted(missing)}"
            )
        params = jax.device_put(state["params"], replicated)
        opt_state = jax.device_put(state["opt_state"], replicated)
        best_params = state["best_params"]
        best_value = meta["best"] if meta["best"] is not None else math.inf
        bad_epochs, start = meta["bad_epochs"], meta["epoch"]
        result.history, result.step = meta["history"], meta["step"]
        result.best_epoch, result.stopped_early = meta["best_epoch"], meta["stopped"]
        if result.stopped_early:
            start = epochs

    bar = _Progress(progress, epochs)
    for epoch in range(start, epochs):
        t0 = time.monotonic()
        batches = _minibatches(data, batch_size, np.random.default_rng([seed, epoch]))
        total = 0.0
        for b, batch in enumerate(batches):
            new_params, new_state, value = step_fn(params, opt_state, put(batch))
            value = float(value)
            if not math.isfinite(value):
                raise NonFiniteLossError(
                    f"fit: loss is {value} at step {result.step} (epoch {epoch + 1}, batch "
                    f"{b + 1} of {len(batches)}); lower the learning rate, clip gradients or "
                    "check the data",
                    result.step,
                    epoch,
                    jax.device_get(params),
                )
            params, opt_state = new_params, new_state
            result.step += 1
            total += value
            bar.update(epoch, b + 1, len(batches), total / (b + 1))
        record: dict[str, Any] = {"epoch": epoch, "loss": total / max(len(batches), 1)}
        if val_data is not None:
            vals = [
                float(eval_fn(params, jax.device_put(v, replicated)))
                for v in _minibatches(val_data, None, None)
            ]
            record["val_loss"] = float(np.mean(vals))
            if not math.isfinite(record["val_loss"]):  # it would never improve: stop here
                raise NonFiniteLossError(
                    f"fit: validation loss is {record['val_loss']} after epoch {epoch + 1} "
                    f"(step {result.step}); check the validation data",
                    result.step,
                    epoch,
                    jax.device_get(params),
                )
        record["seconds"] = time.monotonic() - t0
        result.history.append(record)
        bar.epoch_end(record)

        watched = record.get("val_loss", record["loss"])
        if watched < best_value - min_delta:
            best_value, best_params, bad_epochs = watched, jax.device_get(params), 0
            result.best_epoch = epoch
        else:
            bad_epochs += 1
        stop = patience is not None and bad_epochs >= patience
        if callback is not None and callback(record, params):
            stop = True
        result.stopped_early = stop
        if checkpoint_dir is not None and (
            stop or (epoch + 1) % checkpoint_every == 0 or epoch + 1 == epochs
        ):
            meta = {
                "epoch": epoch + 1,
                "step": result.step,
                "seed": seed,
                "history": result.history,
                "best": best_value if math.isfinite(best_value) else None,
                "best_epoch": result.best_epoch,
                "bad_epochs": bad_epochs,
                "stopped": stop,
            }
            state = {"params": params, "opt_state": opt_state}
            if best_params is not None:
                state["best_params"] = best_params
            save_checkpoint(checkpoint_dir, state, meta)
        if stop:
            break

    result.epoch = len(result.history)
    result.opt_state = opt_state
    use_best = patience is not None and best_params is not None
    result.params = jax.device_put(best_params, replicated) if use_best else params
    return result
