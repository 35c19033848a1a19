"""Time one training epoch of initkit against the same MLP in PyTorch (CPU), side by side.

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/train_speed.py`` (``make bench``). Both libraries run on
one thread, in float32, with plain SGD on the same data and batch size; each epoch is timed several times
and the median is reported with the ratio initkit / PyTorch (< 1 means initkit is faster). initkit's epoch
is one call of the public ``ik.fit(..., epochs=1)`` (argument checks included), so the benchmark follows the
package wherever its modules move. PyTorch is an optional extra (``pip install torch==2.13.0``); without it
only initkit's times are printed, and it says so.

``--quick`` (what ``.ci/run`` runs): one timed repeat of each workload, seconds in all; it proves the script
runs, the numbers mean little.
"""
import argparse
import statistics
import time

import numpy as np

import initkit as ik

WORKLOADS = {  # name: (sizes, batch_size)
    "digits 64-128x5-10, batch 128": ([64] + [128] * 5 + [10], 128),
    "deep 64-256x30-10, batch 256": ([64] + [256] * 30 + [10], 256),
}


def median_time(fn, repeats):
    fn()  # warm-up: allocations, BLAS initialisation
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def initkit_epoch(sizes, batch, X, y):
    net = ik.MLP(sizes, activation="relu", init="he_normal", dtype=np.float32, rng=0)
    rng = np.random.default_rng(0)
    X = X.astype(np.float32)
    return lambda: ik.fit(net, X, y, loss="softmax_cross_entropy", optimizer="sgd", lr=0.01, epochs=1,
                          batch_size=batch, progress=False, rng=rng)


def torch_epoch(sizes, batch, X, y):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt, loss_fn = torch.optim.SGD(model.parameters(), lr=0.01), torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X.astype(np.float32)), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(0)

    def epoch():
        order = torch.randperm(len(Xt), generator=gen)
        for start in range(0, len(Xt), batch):
            idx = order[start:start + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()

    return epoch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="one repeat per workload (CI: the script runs)")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 1
    data = ik.load_dataset("digits", rng=0)
    X, y = data.X_train, data.y_train
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch not installed: printing initkit times only (pip install torch==2.13.0)")
    print(f"{'workload':34} {'initkit ms':>11} {'torch ms':>9} {'ratio':>6}")
    for name, (sizes, batch) in WORKLOADS.items():
        t_ik = median_time(initkit_epoch(sizes, batch, X, y), args.repeats)
        if have_torch:
            t_pt = median_time(torch_epoch(sizes, batch, X, y), args.repeats)
            print(f"{name:34} {1e3 * t_ik:11.1f} {1e3 * t_pt:9.1f} {t_ik / t_pt:6.2f}")
        else:
            print(f"{name:34} {1e3 * t_ik:11.1f}")


if __name__ == "__main__":
    main()
