"""verify: a symbolic-plus-numeric theorem verifier for machine-learning theory."""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    # verify batches many small matrices and parallelises over processes (``--jobs``); BLAS
    # threads on top oversubscribe the cores (measured: ALIGN-Exp1bc 94 s with two BLAS threads
    # per process on a busy 2-core machine, 9 s with one). Effective only when verify is
    # imported before numpy; an explicit setting in the environment wins.
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
