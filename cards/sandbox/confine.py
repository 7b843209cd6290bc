"""Confinement of one forked sandbox child: the OS-level layer behind the AST policy.

Applied in the child right after fork, before it sees any quiz code:

- its own session and process group, so the worker can kill everything it might leave;
- stdin, stdout and stderr on /dev/null, and every other inherited descriptor closed;
- resource limits: no core files, no file writes (RLIMIT_FSIZE=0), no new processes
  (RLIMIT_NPROC=0, which binds every uid but root), few descriptors; CPU seconds and
  address space are set per request by `limit_cpu` / `limit_memory`, after torch is
  already loaded;
- every capability dropped. This is what makes running as root safe: without
  CAP_SYS_RESOURCE the hard limits cannot be raised again, without CAP_KILL/CAP_DAC_*
  root is confined to its own files. (Switching root to `nobody` instead was tried and
  rejected: the interpreter's own standard library, e.g. under /root/.pyenv, becomes
  unreadable and every lazy import fails.)
- on x86-64, a seccomp filter that makes the kernel refuse what the limits cannot, for
  root too: fork/vfork/exec and non-thread clone (RLIMIT_NPROC does not bind root),
  opening files for writing, creating, renaming or deleting files, sockets, io_uring,
  ptrace, and signals to other processes.

Linux only; each step that the platform cannot do is skipped and reported, never fatal.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import platform
import resource
import signal
from dataclasses import dataclass
from typing import Any

MAX_OPEN_FILES = 64
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

# prctl options and seccomp constants (linux/prctl.h, linux/seccomp.h, linux/audit.h).
_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_EPERM, _EACCES, _ENOSYS = 1, 13, 38
_CLONE_THREAD = 0x00010000
# open(2) flags that mean "write, create or truncate"; O_RDONLY is 0. 0o20000000 is the
# __O_TMPFILE bit.
_WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000 | 0o2000 | 0o20000000

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06

# x86-64 syscall numbers, grouped by what the filter does with them.
_X86_64_DENY = {
    "fork": 57,
    "vfork": 58,
    "execve": 59,
    "execveat": 322,
    "creat": 85,
    "unlink": 87,
    "unlinkat": 263,
    "rename": 82,
    "renameat": 264,
    "renameat2": 316,
    "mkdir": 83,
    "mkdirat": 258,
    "rmdir": 84,
    "link": 86,
    "linkat": 265,
    "symlink": 88,
    "symlinkat": 266,
    "chmod": 90,
    "fchmod": 91,
    "fchmodat": 268,
    "chown": 92,
    "fchown": 93,
    "lchown": 94,
    "fchownat": 260,
    "truncate": 76,
    "mknod": 133,
    "mknodat": 259,
    "socket": 41,
    "socketpair": 53,
    "ptrace": 101,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "tkill": 200,
    "rt_sigqueueinfo": 129,
    "rt_tgsigqueueinfo": 297,
    "pidfd_open": 434,
    "pidfd_send_signal": 424,
    "unshare": 272,
    "setns": 308,
    "mount": 165,
    "umount2": 166,
    "chroot": 161,
    "pivot_root": 155,
    "bpf": 321,
    "perf_event_open": 298,
    "userfaultfd": 323,
    "keyctl": 250,
    "add_key": 248,
    "request_key": 249,
    # io_uring runs file and socket operations without passing through this filter.
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
}
# Answered with ENOSYS so glibc falls back to plain clone(2), which the filter can inspect
# (clone3 passes its flags in memory, out of a filter's reach; openat2 likewise).
_X86_64_NOSYS = {"clone3": 435, "openat2": 437}
_X86_64_CLONE = 56
_X86_64_OPEN = {"open": (2, 1), "openat": (257, 2)}  # number, index of the flags argument
_X86_64_SELF_SIGNAL = {"kill": 62, "tgkill": 234}  # allowed only with our own pid


def confine_child(keep_fds: tuple[int, ...]) -> list[str]:
    """Confine the calling (freshly forked) process. Returns what could not be applied."""
    skipped: list[str] = []
    os.setsid()
    _null_stdio()
    _close_other_fds(keep_fds)
    # A write past RLIMIT_FSIZE raises SIGXFSZ, which would kill the child; ignoring it
    # turns such a write into an ordinary EFBIG error inside the quiz code.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for limit, value in (
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_NOFILE, MAX_OPEN_FILES),
        (resource.RLIMIT_NPROC, 0),
    ):
        resource.setrlimit(limit, (value, value))
    prepared = preload()
    if not _drop_capabilities(prepared):
        skipped.append("dropping capabilities")
    libc = prepared.libc
    if libc is None or libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        skipped.append("parent-death signal")
    if not _install_seccomp(prepared):
        skipped.append(f"seccomp filter ({platform.machine()})")
    return skipped


def limit_cpu(seconds: float) -> None:
    """Cap the CPU time this process may still use: SIGXCPU at the soft limit, SIGKILL one
    second later."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    soft = max(1, math.ceil(spent + seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))


def limit_memory(extra_bytes: int) -> None:
    """Cap the address space at what is mapped now (torch included) plus `extra_bytes`."""
    resource.setrlimit(resource.RLIMIT_AS, (mapped_bytes() + extra_bytes,) * 2)


def mapped_bytes() -> int:
    """The process's current virtual size, the base that RLIMIT_AS counts from."""
    with open("/proc/self/statm", "rb") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


def _null_stdio() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    if devnull > 2:
        os.close(devnull)


def _close_other_fds(keep: tuple[int, ...]) -> None:
    low = 3
    for fd in sorted(set(keep)):
        if fd >= low:
            os.closerange(low, fd)
            low = fd + 1
    os.closerange(low, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _drop_capabilities(prepared: _Prepared) -> bool:
    """Clear the effective, permitted and inheritable capability sets (a no-op for a
    process that has none, which is every non-root one)."""
    if prepared.capset is None:
        return os.geteuid() != 0
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()  # version 3 takes two 32-bit halves, all zero here
    return bool(prepared.capset(ctypes.byref(header), data) == 0)


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


# One instruction before label resolution: opcode, true target, false target, constant.
# A target is a label name, or None for "the next instruction".
_Insn = tuple[int, str | None, str | None, int]


@dataclass
class _Prepared:
    """Everything confinement needs from ctypes, built once in the worker before it forks:
    building a 90-instruction filter with ctypes costs a child over a millisecond."""

    libc: ctypes.CDLL | None
    capset: Any
    filters: Any  # the assembled seccomp filter, a ctypes array; None if unsupported
    pid_slot: int  # which instruction holds the child's own pid


_PREPARED: _Prepared | None = None


def preload() -> _Prepared:
    """Load libc and assemble the seccomp filter; call in the worker ahead of fork."""
    global _PREPARED
    if _PREPARED is None:
        try:
            libc: ctypes.CDLL | None = ctypes.CDLL(
                ctypes.util.find_library("c") or None, use_errno=True
            )
        except OSError:
            libc = None
        filters, slot = None, -1
        if libc is not None and platform.machine() in ("x86_64", "AMD64"):
            program, labels = seccomp_program_x86_64(pid=0)
            assembled = _assemble(program, labels)
            filters = (_SockFilter * len(assembled))(*(_SockFilter(*i) for i in assembled))
            slot = labels["self"] + 1
        capset = getattr(libc, "capset", None) if libc is not None else None
        _PREPARED = _Prepared(libc, capset, filters, slot)
    return _PREPARED


def _install_seccomp(prepared: _Prepared) -> bool:
    libc, filters = prepared.libc, prepared.filters
    if libc is None or filters is None:
        return False
    filters[prepared.pid_slot].k = os.getpid()  # the only per-child instruction
    prog = _SockFprog(len(filters), filters)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0)


def _arg_low(index: int) -> int:
    """Offset of the low 32 bits of syscall argument `index` in struct seccomp_data."""
    return 16 + 8 * index


def seccomp_program_x86_64(pid: int) -> tuple[list[_Insn], dict[str, int]]:
    """The filter as labelled instructions, and where each label starts. `pid` is the one
    process that kill/tgkill may target (the child itself)."""
    prog: list[_Insn] = [
        (_LD_W_ABS, None, None, 4),  # seccomp_data.arch
        (_JEQ_K, None, "deny", _AUDIT_ARCH_X86_64),
        (_LD_W_ABS, None, None, 0),  # seccomp_data.nr
        (_JGE_K, "deny", None, _X32_SYSCALL_BIT),
    ]
    prog += [(_JEQ_K, "deny", None, nr) for nr in _X86_64_DENY.values()]
    prog += [(_JEQ_K, "nosys", None, nr) for nr in _X86_64_NOSYS.values()]
    prog.append((_JEQ_K, "clone", None, _X86_64_CLONE))
    prog += [(_JEQ_K, f"open{arg}", None, nr) for nr, arg in _X86_64_OPEN.values()]
    prog += [(_JEQ_K, "self", None, nr) for nr in _X86_64_SELF_SIGNAL.values()]
    prog.append((_RET_K, None, None, _RET_ALLOW))
    labelled: dict[str, list[_Insn]] = {
        # threads (CLONE_THREAD) are fine, new processes are not
        "clone": [(_LD_W_ABS, None, None, _arg_low(0)), (_JSET_K, "allow", "deny", _CLONE_THREAD)],
        "open1": [(_LD_W_ABS, None, None, _arg_low(1)), (_JSET_K, "eacces", "allow", _WRITE_FLAGS)],
        "open2": [(_LD_W_ABS, None, None, _arg_low(2)), (_JSET_K, "eacces", "allow", _WRITE_FLAGS)],
        "self": [(_LD_W_ABS, None, None, _arg_low(0)), (_JEQ_K, "allow", "deny", pid)],
        "allow": [(_RET_K, None, None, _RET_ALLOW)],
        "deny": [(_RET_K, None, None, _RET_ERRNO | _EPERM)],
        "nosys": [(_RET_K, None, None, _RET_ERRNO | _ENOSYS)],
        "eacces": [(_RET_K, None, None, _RET_ERRNO | _EACCES)],
    }
    labels: dict[str, int] = {}
    for name, block in labelled.items():
        labels[name] = len(prog)
        prog += block
    return prog, labels


def _assemble(prog: list[_Insn], labels: dict[str, int]) -> list[tuple[int, int, int, int]]:
    """Resolve label targets into the relative jump offsets classic BPF uses."""
    return [
        (code, _offset(labels, index, jt), _offset(labels, index, jf), k)
        for index, (code, jt, jf, k) in enumerate(prog)
    ]


def _offset(labels: dict[str, int], index: int, label: str | None) -> int:
    if label is None:
        return 0
    offset = labels[label] - index - 1
    if not 0 <= offset <= 255:
        raise ValueError(f"seccomp jump to {label} out of range: {offset}")
    return offset
