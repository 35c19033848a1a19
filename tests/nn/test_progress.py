"""The training progress display: off by environment, invisible for short runs, rate-limited, in place."""
import io

import numpy as np
import pytest

import initkit as ik
from initkit.nn.progress import ProgressBar


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
