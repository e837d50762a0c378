"""fit: converges, is reproducible from a seed, refuses NaN naming the step, stops early,
checkpoints atomically and resumes to the same parameters, and gives the same
parameters on 4 forced host devices as on one."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from catauto import CatautoError
from catauto.neural import Batches, NonFiniteLossError, fit

ROOT = Path(__file__).resolve().parents[1]


def problem(n=96, seed=0):
    """Logistic regression data: y = [x @ w_true > 0]."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype(np.float32)
    y = (X @ np.array([1.5, -2.0, 0.5]) > 0).astype(np.float32)
    return X, y


def loss(p, batch):
    X, y = batch
    logits = X @ p["w"] + p["b"]
    return optax.sigmoid_binary_cross_entropy(logits, y).mean()


ADAM = optax.adam(0.05)  # one optimizer object: fits share one compiled step


def params0():
    return {"w": jnp.zeros(3), "b": jnp.zeros(())}


def leaves_equal(a, b, atol=0.0):
    return all(
        np.allclose(x, y, atol=atol, rtol=0) for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b))
    )


def test_fit_learns_and_is_reproducible_from_the_seed():
    data = problem()
    kw = dict(optimizer=ADAM, epochs=8, batch_size=16, progress=False)
    r1 = fit(loss, params0(), data, seed=3, **kw)
    r2 = fit(loss, params0(), data, seed=3, **kw)
    r3 = fit(loss, params0(), data, seed=4, **kw)
    assert r1.history[-1]["loss"] < 0.5 * r1.history[0]["loss"]
    assert leaves_equal(r1.params, r2.params)
    assert not leaves_equal(r1.params, r3.params)  # the seed orders the minibatches
    assert r1.step == 8 * 6 and r1.epoch == 8


def test_going_on_from_an_optimiser_state_equals_one_run():
    """Two calls, the second given the first's ``opt_state``, are one longer run."""
    data = problem()
    kw = dict(optimizer=ADAM, batch_size=None, progress=False)
    whole = fit(loss, params0(), data, epochs=6, **kw)
    first = fit(loss, params0(), data, epochs=3, **kw)
    second = fit(loss, first.params, data, epochs=3, opt_state=first.opt_state, **kw)
    fresh = fit(loss, first.params, data, epochs=3, **kw)
    assert leaves_equal(second.params, whole.params, atol=1e-6)
    assert not leaves_equal(fresh.params, whole.params, atol=1e-6)


def test_nan_loss_names_the_step():
    X, y = problem(n=20)
    X[13, 0] = np.nan
    order = np.random.default_rng([5, 0]).permutation(20)  # epoch 0's order for seed 5
    bad_step = int(np.flatnonzero(order == 13)[0]) // 4  # batches of 4
    with pytest.raises(NonFiniteLossError, match=f"loss is nan at step {bad_step} ") as e:
        fit(loss, params0(), (X, y), batch_size=4, seed=5, epochs=2, optimizer=ADAM, progress=False)
    assert isinstance(e.value, CatautoError) and e.value.step == bad_step
    assert np.isfinite(e.value.params["w"]).all()


def test_early_stopping_returns_the_best_parameters():
    data = problem()
    seen = []

    def watch(record, params):
        seen.append((record["val_loss"], jax.device_get(params)))

    r = fit(
        loss,
        params0(),
        data,
        val_data=problem(n=32, seed=1),
        optimizer=optax.sgd(50.0),  # far too large: the validation loss bounces
        epochs=30,
        batch_size=32,
        patience=2,
        progress=False,
        callback=watch,
    )
    assert r.stopped_early and len(r.history) < 30
    best = min(range(len(seen)), key=lambda i: seen[i][0])
    assert r.best_epoch == best
    assert leaves_equal(r.params, seen[best][1])


def test_checkpoint_resume_equals_uninterrupted(tmp_path):
    data = problem()
    kw = dict(optimizer=ADAM, batch_size=16, seed=1, progress=False)
    full = fit(loss, params0(), data, epochs=4, **kw)
    ck = tmp_path / "ck"
    fit(loss, params0(), data, epochs=2, checkpoint_dir=ck, **kw)
    meta = json.loads((ck / "checkpoint.json").read_text())
    assert meta["epoch"] == 2 and (ck / meta["npz"]).exists()
    assert sorted(p.name for p in ck.iterdir()) == ["checkpoint.json", meta["npz"]]
    resumed = fit(loss, params0(), data, epochs=4, checkpoint_dir=ck, resume=True, **kw)
    assert [h["epoch"] for h in resumed.history] == [0, 1, 2, 3]
    assert resumed.step == full.step
    assert leaves_equal(resumed.params, full.params, atol=1e-6)
    npz = np.load(ck / json.loads((ck / "checkpoint.json").read_text())["npz"], allow_pickle=False)
    assert all(k.split("/")[0] in ("params", "opt_state", "best_params") for k in npz.files)


def test_resume_with_another_model_is_a_clear_error(tmp_path):
    data = problem()
    quiet = dict(optimizer=ADAM, progress=False, checkpoint_dir=tmp_path)
    fit(loss, params0(), data, epochs=1, **quiet)
    wider = {"w": jnp.zeros(4), "b": jnp.zeros(())}
    with pytest.raises(CatautoError, match=r"ckpt-\d+\.npz: params array .* shape"):
        fit(loss, wider, data, epochs=2, resume=True, **quiet)
    (tmp_path / "checkpoint.json").write_text("{not json")
    with pytest.raises(CatautoError, match=r"checkpoint.json:1: not a checkpoint"):
        fit(loss, params0(), data, epochs=2, resume=True, **quiet)


def test_progress_goes_to_stderr_and_can_be_silenced(capsys):
    data = problem(n=32)
    fit(loss, params0(), data, epochs=2, batch_size=16, optimizer=ADAM, progress=True)
    err = capsys.readouterr()
    assert "epoch 1/2 loss" in err.err and "epoch 2/2" in err.err and err.out == ""
    fit(loss, params0(), data, epochs=2, batch_size=16, optimizer=ADAM, progress=False)
    assert capsys.readouterr().err == ""


def test_ready_batches_and_bad_inputs():
    X, y = problem(n=32)
    batches = Batches([(X[i : i + 8], y[i : i + 8]) for i in range(0, 32, 8)])
    r = fit(loss, params0(), batches, epochs=2, optimizer=ADAM, progress=False)
    assert r.step == 8
    with pytest.raises(CatautoError, match="same leading"):
        fit(loss, params0(), (X, y[:5]), epochs=1, progress=False)
    with pytest.raises(CatautoError, match="not divisible"):
        fit(loss, params0(), (X, y), batch_size=7, devices=[jax.devices()[0]] * 2, progress=False)


@pytest.mark.parametrize("batch_size", [0, -2, 2.5, True])
def test_bad_batch_sizes_are_refused(batch_size):
    X, y = problem(n=16)
    with pytest.raises(CatautoError, match=f"batch_size must be an integer >= 1, got {batch_size}"):
        fit(loss, params0(), (X, y), batch_size=batch_size, epochs=1, progress=False)


def test_nan_validation_loss_is_refused_like_nan_training_loss():
    X, y = problem(n=16)
    with pytest.raises(
        NonFiniteLossError, match=r"validation loss is nan after epoch 1 \(step 1\)"
    ):
        fit(loss, params0(), (X, y), val_data=(X, y * np.nan), epochs=3, patience=5, progress=False)


MULTI_DEVICE = textwrap.dedent(
    """
    import sys
    import jax, jax.numpy as jnp, numpy as np, optax
    from catauto.neural import constant_state, dense, elman, fit, foldl, list_algebra, one_hot

    assert len(jax.devices()) == 4, jax.devices()
    rng = np.random.default_rng(0)
    W = rng.integers(0, 2, size=(64, 7)).astype(np.int32)
    y = (W.sum(1) % 2).astype(np.float32)  # parity
    rnn = foldl(list_algebra(elman(2, 8), constant_state(jnp.zeros(8)), one_hot(2)))
    head = dense(8, 1)
    net = rnn >> head

    def loss(p, batch):
        logits = net.apply(p, batch[0])[:, 0]
        return optax.sigmoid_binary_cross_entropy(logits, batch[1]).mean()

    p0 = net.init(jax.random.key(0))
    kw = dict(optimizer=optax.adam(0.01), epochs=3, batch_size=16, seed=2, progress=False)
    one = fit(loss, p0, (W, y), devices=jax.devices()[:1], **kw)
    four = fit(loss, p0, (W, y), devices=jax.devices(), **kw)
    leaves = {}
    for name, r in (("one", one), ("four", four)):
        for i, leaf in enumerate(jax.tree.leaves(r.params)):
            leaves[f"{name}/{i}"] = np.asarray(leaf)
    sharding = jax.tree.leaves(four.params)[0].sharding
    print("replicated on", len(sharding.device_set), "devices")
    np.savez(sys.argv[1], **leaves)
    """
)


def test_four_host_devices_train_like_one(tmp_path):
    env = dict(os.environ)
    env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
    env["JAX_PLATFORMS"] = "cpu"
    out = tmp_path / "params.npz"
    proc = subprocess.run(
        [sys.executable, "-c", MULTI_DEVICE, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "replicated on 4 devices" in proc.stdout
    z = np.load(out)
    ones = sorted(k for k in z.files if k.startswith("one/"))
    assert ones
    for k in ones:
        np.testing.assert_allclose(z[k], z["four/" + k[4:]], atol=1e-5, rtol=1e-5)
    assert not np.allclose(z["one/0"], 0)  # it trained
