"""What several training runs did, one row per run: the interface :class:`~initkit.nn.multiseed.ManyHistory`
(from :func:`initkit.fit_many`) and :class:`~initkit.nn.seeds.SeedsHistory` (from :func:`initkit.fit_seeds`)
share, so a cell reads the same names whichever trainer produced its results.

A subclass provides, as (runs, epochs) arrays, ``train_loss``, ``test_loss`` and ``test_acc`` (NaN after a
run diverged), ``step_loss`` as (runs, steps), and ``diverged`` as (runs,) booleans.
"""
import numpy as np

NEVER = -1  # what steps_to and epochs_to return for a run that never gets below the threshold


class Runs:
    """Summaries of several runs, one value per run: print them with :func:`initkit.mean_spread`."""

    def final(self, name="test_acc"):
        """(runs,): the last epoch's ``name`` (``train_loss``, ``train_acc``, ``test_loss``, ``test_acc``);
        NaN for a run that diverged (it has no last epoch to speak of).

        >>> import numpy as np
        >>> from initkit.nn.multiseed import ManyHistory
        >>> h = ManyHistory(np.ones((2, 4)), np.array([[2.0, 1.0], [2.0, np.nan]]), np.zeros((2, 2)),
        ...                 np.zeros((2, 0)), np.zeros((2, 0)), np.array([0, 3]), [None, "non-finite"])
        >>> h.final("train_loss")
        array([ 1., nan])
        """
        values = np.asarray(getattr(self, name), dtype=np.float64)
        if values.shape[1] == 0:
            return np.full(len(values), np.nan)
        return np.where(self.diverged, np.nan, values[:, -1])

    def steps_to(self, threshold, window=10):
        """(runs,): the first step (1-based) at which the mean loss of the last ``window`` mini-batches is
        below ``threshold``; ``NEVER`` (-1) for a run that never gets there (or diverges first)."""
        losses = np.nan_to_num(np.asarray(self.step_loss, dtype=np.float64), nan=np.inf)
        out = np.full(len(losses), NEVER)
        if losses.shape[1] < window:
            return out
        kernel = np.ones(window) / window
        for run, row in enumerate(losses):
            hit = np.flatnonzero(np.convolve(row, kernel, mode="valid") < threshold)
            if hit.size:
                out[run] = int(hit[0]) + window
        return out

    def epochs_to(self, threshold):
        """(runs,): the first epoch (1-based) whose mean training loss is below ``threshold``; ``NEVER`` (-1)
        if none is."""
        below = np.nan_to_num(np.asarray(self.train_loss, dtype=np.float64), nan=np.inf) < threshold
        return np.where(below.any(axis=1), below.argmax(axis=1) + 1, NEVER)
