"""The training progress display: off by environment, invisible for short runs, rate-limited, in place."""
import io

import numpy as np
import pytest

import initkit as ik
from initkit.nn.progress import ProgressBar, progress_bar
from initkit.nn.training import epoch_loop


class FakeClock:
    def __init__(self, step):
        self.t, self.step = 0.0, step

    def __call__(self):
        self.t += self.step
        return self.t


@pytest.mark.parametrize("mode", ["stream", "widget"])
def test_long_fast_loop_redraws_at_most_four_times_per_second(mode):
    # 15,000 epochs at 1 ms each: 15 s of training. Drawing every epoch is what flooded IOPub.
    clock, stream = FakeClock(0.001), io.StringIO()
    bar = ProgressBar(15_000, enabled=True, mode=mode, clock=clock, stream=stream)
    for epoch in range(1, 15_001):
        bar.update(epoch, 0.5)
    seconds = clock.t
    assert bar.updates <= 4 * seconds + 2, f"{bar.updates} redraws in {seconds:.0f} s"
    assert bar.updates >= 4 * (seconds - bar.after) - 2  # and it did keep the display moving
    if mode == "widget":
        progress, label, _ = bar._widgets
        assert progress.value == 15_000 and label.value.startswith("epoch 15000/15000")
    else:
        assert stream.getvalue().count("\n") == 1  # one line, rewritten in place with \r
        assert stream.getvalue().rstrip().endswith(f"{seconds:.1f} s")


def test_short_runs_show_nothing():
    stream = io.StringIO()
    bar = ProgressBar(100, enabled=True, mode="stream", clock=FakeClock(0.001), stream=stream)
    for epoch in range(1, 101):
        bar.update(epoch, 1.0)
    assert bar.updates == 0 and stream.getvalue() == ""


def test_final_epoch_is_always_shown_once_visible():
    stream = io.StringIO()
    bar = ProgressBar(3, enabled=True, after=0.0, max_rate=4.0, mode="stream", clock=FakeClock(0.01), stream=stream)
    for epoch in (1, 2, 3):
        bar.update(epoch, 0.25)
    assert "epoch 3/3" in stream.getvalue() and bar.updates == 2  # epoch 1 (first) and epoch 3 (final)


def test_environment_switches_it_off(monkeypatch):
    monkeypatch.setenv("INITKIT_PROGRESS", "0")
    bar = ProgressBar(10, after=0.0, mode="stream", clock=FakeClock(10.0), stream=io.StringIO())
    for epoch in range(1, 11):
        bar.update(epoch, 1.0)
    assert not bar.enabled and bar.updates == 0


def test_finish_reports_an_early_end():
    stream = io.StringIO()
    bar = ProgressBar(100, enabled=True, after=0.0, mode="stream", clock=FakeClock(1.0), stream=stream)
    bar.update(1, 5.0)
    bar.finish("diverged at step 7")
    assert stream.getvalue().endswith("\rdiverged at step 7\n")


def test_fit_never_prints_progress_to_stdout(capsys, monkeypatch):
    monkeypatch.setenv("INITKIT_PROGRESS", "1")
    data = ik.load_dataset("moons", n_samples=100, rng=0)
    ik.fit(ik.MLP([2, 4, 1], rng=0), data, epochs=3, rng=np.random.default_rng(0))
    assert capsys.readouterr().out == ""


def test_advance_counts_units_and_labels_them():
    stream = io.StringIO()
    bar = ProgressBar(4, enabled=True, after=0.0, mode="stream", clock=FakeClock(1.0), stream=stream, unit="seed")
    for _ in range(4):
        bar.advance()
    assert bar.count == 4 and stream.getvalue().rstrip().split("\r")[-1].startswith("seed 4/4  ")


def test_progress_bar_reuses_a_callers_bar_and_follows_the_environment(monkeypatch):
    bar = ProgressBar(10, enabled=False)
    assert progress_bar(bar, 3) is bar
    monkeypatch.setenv("INITKIT_PROGRESS", "0")
    assert not progress_bar(None, 3).enabled and progress_bar(True, 3).enabled


def _quiet_bar(total=10_000):
    return ProgressBar(total, enabled=False)


def test_every_long_trainer_advances_one_shared_bar(digits_small):
    # Each trainer reports through the one display: given a caller's bar it advances it once per unit of work.
    bar = _quiet_bar()
    ik.fit_many([ik.MLP([64, 8, 10], rng=s) for s in range(2)], digits_small, epochs=3, rng=0, progress=bar)
    assert bar.count == 3
    bar = _quiet_bar()
    ik.fit_seeds(lambda s: ik.MLP([64, 8, 10], rng=s), digits_small, seeds=2, epochs=2, progress=bar)
    assert bar.count == 4
    bar = _quiet_bar()
    ik.lr_sweep(digits_small, [8, 16], [-4, -2], seeds=1, epochs=2, n_train=64, progress=bar)
    assert bar.count == 4
    bar = _quiet_bar()
    ik.train_token_task("gpt2", seeds=(0, 1), steps=3, d=8, n_blocks=1, n_heads=1, n_test=8, progress=bar)
    assert bar.count == 6
    bar = _quiet_bar()
    ik.train_adding(ik.RNN(2, 4, 1, rng=0), 5, steps=7, batch_size=4, n_test=8, rng=0, progress=bar)
    assert bar.count == 7
    bar = _quiet_bar()
    configs = [{"label": "rnn", "init": "orthogonal"}, {"label": "lstm", "forget_bias": 1.0}]
    ik.train_adding_configs(configs, 5, seeds=[0], hidden=4, steps=3, batch_size=4, n_test=8, progress=bar)
    assert bar.count == 6


def test_a_diverged_run_still_counts_its_epochs_on_a_shared_bar(digits_small):
    bar = _quiet_bar()
    h = ik.fit(ik.MLP([64, 8, 10], init="standard_normal", rng=0), digits_small, lr=1e6, epochs=5, progress=bar,
               rng=0)
    assert h.diverged and bar.count == 5


def test_epoch_loop_stops_when_an_epoch_returns_none():
    seen = []
    done = epoch_loop(5, lambda epoch: seen.append(epoch) or (None if epoch == 3 else 1.0), progress=False)
    assert done == 2 and seen == [1, 2, 3]


@pytest.fixture
def digits_small():
    d = ik.load_dataset("digits", rng=0)
    return ik.Dataset("digits (small)", d.X_train[:128], d.y_train[:128], d.X_test[:64], d.y_test[:64], d.n_classes)


def test_progress_wraps_a_notebook_loop_in_the_one_display(monkeypatch):
    monkeypatch.setenv("INITKIT_PROGRESS", "1")
    seen = []
    bar_calls = []
    original = ik.nn.progress.ProgressBar.update
    monkeypatch.setattr(ik.nn.progress.ProgressBar, "update",
                        lambda self, epoch, loss=None: bar_calls.append(epoch) or original(self, epoch, loss))
    for x in ik.progress(range(4), unit="seed"):
        seen.append(x)
    assert seen == [0, 1, 2, 3] and bar_calls == [1, 2, 3, 4]
    assert list(ik.progress(iter("ab"), total=2, enabled=False)) == ["a", "b"]
    with pytest.raises(TypeError, match="total is required"):
        ik.progress(iter("ab"))
    with pytest.raises(TypeError, match="iterable"):
        ik.progress(3)


@pytest.mark.parametrize("value", [float("nan"), 1j, np.ones(3), "yes"])
def test_a_progress_that_is_no_switch_is_refused_by_name(value):
    # Issue 26 fuzz: fit_many, lr_sweep, train_adding and train_token_task took nan as progress, and an array
    # raised "The truth value of an array ... is ambiguous".
    with pytest.raises(TypeError, match="progress must be True or False"):
        progress_bar(value, 3)


def test_off_by_default_under_pytest_so_strict_nbval_never_sees_a_bar(monkeypatch):
    """A kernel that nbval starts inherits PYTEST_CURRENT_TEST; a slow runner's cell must not add a bar."""
    monkeypatch.delenv("INITKIT_PROGRESS", raising=False)
    assert "PYTEST_CURRENT_TEST" in __import__("os").environ and not ProgressBar(3).enabled
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert ProgressBar(3).enabled
    monkeypatch.setenv("INITKIT_PROGRESS", "1")
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "x")
    assert ProgressBar(3).enabled  # an explicit setting wins
