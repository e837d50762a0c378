"""fit's checkpoints: written after every ``checkpoint_every``-th epoch and the last one
(against the rule written out), each epoch's ``seconds`` is its own wall time, and a
checkpoint.json that is JSON but not an object is refused by name; soft_to_dot refuses
as many names as inputs or outputs but not both."""

import json
import time

import pytest

from catauto import CatautoError
from catauto.neural import SoftAutomaton, fit
from catauto.neural.soft_draw import soft_to_dot
from test_neural_train import ADAM, loss, params0, problem


@pytest.mark.parametrize("epochs, every", [(5, 2), (4, 1), (3, 5)])
def test_checkpoints_follow_checkpoint_every(tmp_path, epochs: int, every: int) -> None:
    ck = tmp_path / "ck"
    seen = []  # the epoch of the checkpoint on disk when each epoch ends (before saving)

    def look(record, params):
        path = ck / "checkpoint.json"
        seen.append(json.loads(path.read_text())["epoch"] if path.exists() else None)

    kw = dict(optimizer=ADAM, batch_size=32, progress=False, checkpoint_dir=ck)
    t0 = time.monotonic()
    r = fit(loss, params0(), problem(), epochs=epochs, checkpoint_every=every, callback=look, **kw)
    wall = time.monotonic() - t0
    saved = [j for j in range(1, epochs + 1) if j % every == 0 or j == epochs]
    expected = [max((j for j in saved if j <= e), default=None) for e in range(epochs)]
    assert seen == expected
    assert json.loads((ck / "checkpoint.json").read_text())["epoch"] == epochs
    seconds = [h["seconds"] for h in r.history]
    assert all(0 <= s for s in seconds) and sum(seconds) <= wall


def test_a_checkpoint_that_is_a_json_list_is_refused(tmp_path) -> None:
    (tmp_path / "checkpoint.json").write_text("[1, 2]")
    with pytest.raises(CatautoError, match="not a catauto fit checkpoint"):
        fit(
            loss,
            params0(),
            problem(),
            epochs=1,
            optimizer=ADAM,
            checkpoint_dir=tmp_path,
            resume=True,
        )


def test_soft_drawing_refuses_the_wrong_number_of_names() -> None:
    model = SoftAutomaton("mealy", 3, 2, 2)
    params = model.init(0)
    assert "x" in soft_to_dot(model, params, inputs="ab", outputs="xy")
    for ins, outs in (("abc", "xy"), ("ab", "xyz"), ("a", "x")):
        with pytest.raises(CatautoError, match=rf"got {len(ins)} input and {len(outs)} output"):
            soft_to_dot(model, params, inputs=ins, outputs=outs)
