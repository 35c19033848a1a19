"""A burst of quick control changes ends in the plot of the final values, for every blitted widget.

The browser test (tests/browser, issue 31) moves every control quickly and compares the final plot with a
fresh draw; these tests do the same in the kernel alone, through the messages the browser would send (so
the widgets' message handling is what runs), once in order and once from two threads at a time: JupyterLab
sends widget messages to a kernel subshell (a thread of its own) while others reach the main thread, and
two threads drawing one figure at once left titles drawn twice and half-drawn plots.
"""
import importlib.util
import threading

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
if importlib.util.find_spec("ipympl") is None:  # not importorskip: importing ipympl switches pyplot's backend
    pytest.skip("needs ipympl", allow_module_level=True)

import initkit.widgets  # noqa: E402
import initkit as ik  # noqa: E402
from widget_checks import small_width_records  # noqa: E402


def _width_explorer():
    return ik.widgets.width_explorer(*small_width_records())


WIDGETS = {
    "explorer": lambda: ik.widgets.explorer(n_samples=64),
    "fan_explorer": lambda: ik.widgets.fan_explorer(n_samples=64),
    "lsuv_explorer": lambda: ik.widgets.lsuv_explorer(n_draws=2),
    "edge_of_chaos": lambda: ik.widgets.edge_of_chaos(width=32),
    "width_explorer": _width_explorer,
}


def send(control, **state):
    """What the browser sends when a control changes (handled as the kernel handles a comm message)."""
    control.comm.handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}})


def burst_messages(box):
    """The browser test's burst: four steps right and one left on every slider, then every menu to its
    last entry; as (control, state) pairs."""
    messages = []
    for control in box.controls.values():
        if control.disabled:
            continue
        if hasattr(control, "options"):
            messages.append((control, {"index": len(control.options) - 1}))
        elif type(control).__name__ == "FloatLogSlider":
            exponent = np.log10(control.value) / np.log10(control.base)
            for k in (1, 2, 3, 4, 3):
                messages.append((control, {"value": control.base ** min(exponent + k * control.step, control.max)}))
        else:
            for k in (1, 2, 3, 4, 3):
                messages.append((control, {"value": min(control.value + k * control.step, control.max)}))
    return messages


def canvas_pixels(box):
    return np.asarray(box.view.fig.canvas.get_renderer().buffer_rgba()).copy()


def fresh_draw(box):
    """Draw the current values from scratch: no cached background, one full draw."""
    view = box.view
    view.fig._initkit_background = None
    if hasattr(view, "_background"):
        view._background = None
    box.redraw()
    if hasattr(view, "_on_draw"):
        view.fig.canvas.draw()
    return canvas_pixels(box)


def assert_final_plot(box, where):
    after_burst = canvas_pixels(box)
    fresh = fresh_draw(box)
    changed = int((after_burst != fresh).any(axis=2).sum())
    assert changed == 0, f"{where}: after a burst the canvas differs from a fresh draw in {changed} pixels"


@pytest.mark.parametrize("name", WIDGETS)
def test_a_burst_in_order_ends_in_the_plot_of_the_final_values(name):
    box = WIDGETS[name]()
    for control, state in burst_messages(box):
        send(control, **state)
    assert_final_plot(box, name)


def test_a_message_from_another_thread_waits_for_the_lock():
    """Every widget's controls and canvas handle their messages under the one lock (the redraw a cell
    starts takes it too): while one thread draws, a message arriving in another thread waits."""
    from initkit.widgets.display import LOCK

    box = WIDGETS["explorer"]()
    control, canvas = box.controls["depth"], box.view.fig.canvas
    draws = []
    box.view.fig.canvas.mpl_connect("draw_event", draws.append)
    with LOCK:
        threads = [threading.Thread(target=send, args=(control,), kwargs={"value": control.value + 1}),
                   threading.Thread(target=canvas.comm.handle_msg,
                                    args=({"content": {"data": {"method": "custom", "content": {"type": "draw"}}}, "buffers": []},))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(0.5)  # time for a message not under the lock to go through (never enough for one that is)
        assert all(thread.is_alive() for thread in threads), "a widget message was handled while another thread drew"
        assert not draws
    for thread in threads:
        thread.join()
    assert draws and box.view.title.get_text().endswith(f"depth {control.value}, tanh")


@pytest.mark.parametrize("name", ["explorer", "width_explorer"])
def test_messages_from_two_threads_end_in_the_plot_of_the_final_values(name):
    import sys

    box = WIDGETS[name]()
    messages = burst_messages(box)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often (without the lock, a broken frame within tens of rounds)
    try:
        for _ in range(2):
            threads = [threading.Thread(target=lambda part=part: [send(c, **s) for c, s in part])
                       for part in (messages[0::2], messages[1::2])]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert_final_plot(box, name)
            messages = messages[::-1]
    finally:
        sys.setswitchinterval(interval)


def test_each_message_is_handled_where_the_frontend_sent_it():
    """ipykernel 7 routes a comm's message to the thread that last sent on that comm (the first change of a
    control went to the main thread, the next ones to JupyterLab's comm subshell, handled out of order):
    a widget's comms follow the frontend's choice instead."""
    from types import SimpleNamespace

    from initkit.widgets.display import LOCK, handle_messages_under_lock

    class KernelComm:  # what ipykernel 7's comm offers the kernel's router
        def on_msg(self, callback):
            self.callback = callback

        def _reply_subshell_for(self, data, default):
            return None  # the thread that last sent on it: the main thread

    handled = []
    widget = SimpleNamespace(comm=KernelComm(), _handle_msg=lambda msg: handled.append(LOCK._is_owned()))
    handle_messages_under_lock(widget)
    assert widget.comm._reply_subshell_for({}, "subshell-1") == "subshell-1"
    assert widget.comm._reply_subshell_for({}, None) is None
    widget.comm.callback({"content": {}})
    assert handled == [True]  # handled under the lock
