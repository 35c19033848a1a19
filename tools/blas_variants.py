"""Print the BLAS configurations under which `make test` re-checks the stored notebook outputs, one per line.

Strict nbval compares printed text exactly. OpenBLAS picks a kernel per CPU (Haswell, SkylakeX, Zen,
Sandybridge...), and each sums a matrix product in its own order, so last digits differ between machines;
the thread count changes them too. ``OPENBLAS_CORETYPE`` forces a kernel on any x86-64 CPU that has the
instructions it needs, which lets one machine stand in for others. Printed here: the kernels this CPU can
run (from /proc/cpuinfo), with 1 or 2 threads; nothing on other platforms (the main run still checks the
native kernel there).
"""
from pathlib import Path

# kernel, the CPU flag it needs (None: every x86-64 CPU), threads
VARIANTS = [("Prescott", None, 1), ("Sandybridge", "avx", 2), ("SkylakeX", "avx512f", 1)]


def cpu_flags():
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return None


def variants():
    flags = cpu_flags()
    if flags is None or "pni" not in flags:  # not x86-64 Linux (pni = SSE3): the x86 kernel names mean nothing
        return []
    return [f"OPENBLAS_CORETYPE={kernel} OPENBLAS_NUM_THREADS={threads}"
            for kernel, flag, threads in VARIANTS if flag is None or flag in flags]


if __name__ == "__main__":
    print("\n".join(variants()))
