"""Landlock for a sandbox child: the kernel confines what the child may read, and forbids
every write, whatever the quiz code manages to call.

The ruleset is built once in the worker (`prepare`), before it forks: reads are allowed
beneath the interpreter's prefixes (stdlib and site-packages, torch included) and the
`cards` package, nothing else — not /tmp, not $HOME, not the database. Each child only
calls `landlock_restrict_self` on the inherited ruleset descriptor (`restrict`), which
costs microseconds. Where the kernel has no Landlock, `prepare` says why and the sandbox
runs on seccomp and rlimits alone, reporting so.

x86-64 syscall numbers; the ABI version decides which access rights are handled.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
# Every filesystem right each ABI knows: ABI 1 has bits 0-12, 2 adds REFER, 3 TRUNCATE,
# 5 IOCTL_DEV. Handling a right without a rule that grants it denies it everywhere.
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_TCP_BIND_CONNECT = 0b11  # ABI 4
_SCOPE_ABSTRACT_UNIX_AND_SIGNAL = 0b11  # ABI 6
_READ_RIGHTS = _READ_FILE | _READ_DIR
# The cards package root: lazy imports of the sandbox's own modules read from there.
_CARDS_DIR = Path(__file__).resolve().parents[1]


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # the kernel's struct is __attribute__((packed))
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


@dataclass(frozen=True)
class Ruleset:
    """A ready ruleset descriptor (or why there is none) and the ABI it was built for."""

    fd: int | None
    abi: int
    reason: str  # why Landlock is unavailable; empty when fd is set
    readable: tuple[str, ...]

    @property
    def level(self) -> str:
        """How this layer reads in the confinement level, e.g. "landlock ABI 7"."""
        return f"landlock ABI {self.abi}" if self.fd is not None else ""


@functools.cache
def _syscall() -> Any:
    # Loaded in the worker by `prepare`, so a child does not pay for loading libc.
    syscall = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).syscall
    syscall.restype = ctypes.c_long
    return syscall


def readable_roots() -> tuple[str, ...]:
    """The directories a child may read beneath: the interpreter's prefixes (stdlib and
    site-packages) and the cards package. Never a parent of those, such as $HOME."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, str(_CARDS_DIR)}
    return tuple(sorted(os.path.realpath(r) for r in roots if r))


def prepare() -> Ruleset:
    """Build the ruleset in the worker, ahead of fork."""
    roots = readable_roots()
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return Ruleset(None, 0, f"Landlock is not supported on {platform.machine()}", roots)
    syscall = _syscall()
    abi = int(syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION))
    if abi < 1:
        err = ctypes.get_errno()
        return Ruleset(None, 0, f"the kernel has no Landlock ({os.strerror(err)})", roots)
    attr = _RulesetAttr(
        handled_access_fs=_FS_RIGHTS_BY_ABI[max(k for k in _FS_RIGHTS_BY_ABI if k <= abi)],
        handled_access_net=_NET_TCP_BIND_CONNECT if abi >= 4 else 0,
        scoped=_SCOPE_ABSTRACT_UNIX_AND_SIGNAL if abi >= 6 else 0,
    )
    size = 8 if abi < 4 else 16 if abi < 6 else ctypes.sizeof(attr)
    fd = int(syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0))
    if fd < 0:
        err = ctypes.get_errno()
        return Ruleset(None, abi, f"creating a Landlock ruleset failed ({os.strerror(err)})", roots)
    for root in roots:
        try:
            parent = os.open(root, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue  # a prefix that does not exist needs no rule
        rule = _PathBeneathAttr(allowed_access=_READ_RIGHTS, parent_fd=parent)
        added = syscall(_SYS_ADD_RULE, fd, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
        os.close(parent)
        if added != 0:
            err = ctypes.get_errno()
            os.close(fd)
            return Ruleset(None, abi, f"adding a Landlock rule for {root} failed ({err})", roots)
    return Ruleset(fd, abi, "", roots)


def restrict(ruleset: Ruleset) -> bool:
    """Confine the calling process with `ruleset` (no_new_privs must already be set) and
    close its descriptor. False if there is no ruleset or the kernel refused it."""
    if ruleset.fd is None:
        return False
    done = _syscall()(_SYS_RESTRICT_SELF, ruleset.fd, 0) == 0
    os.close(ruleset.fd)
    return bool(done)
