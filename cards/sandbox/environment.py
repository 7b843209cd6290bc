"""How sandbox processes (the worker, and the shared server) are launched: the package
root they import from, and their environment."""

from __future__ import annotations

import os
from pathlib import Path

# The package root that must be importable in those processes (the folder holding `cards/`).
ROOT = Path(__file__).resolve().parents[2]


def sandbox_env() -> dict[str, str]:
    """This process's environment, plus the package root, one thread per numeric library,
    and no bytecode writes."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env
