"""The learner's settings, read from TOML in the platform config directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.errors import StudylogError

if TYPE_CHECKING:
    from journal import Vocabulary


@dataclass(frozen=True)
class Config:
    """Settings with their defaults; see README "Configuration" for the file format."""

    day_starts_at: int = 4
    role_aliases: dict[str, list[str]] = field(default_factory=dict)
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    fuzz: bool = True
    keymap: dict[str, str] = field(default_factory=dict)
    sandbox_idle_minutes: float = 10.0
    # The name this machine records its reviews under; see `device_name`.
    device: str | None = None

    def vocabulary(self) -> Vocabulary:
        """The parser vocabulary: the defaults plus the configured section-title aliases."""
        from journal import Vocabulary

        return Vocabulary.with_extra(self.role_aliases) if self.role_aliases else Vocabulary()


def device_name(config: Config) -> str:
    """The device this process records reviews as, so that `undo` takes back only its
    own: the config's `device`, else $STUDYLOG_DEVICE, else the host name."""
    import os
    import socket

    return config.device or os.environ.get("STUDYLOG_DEVICE", "").strip() or socket.gethostname()


def _table(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise StudylogError(f"{path}: [{name}] must be a table")
    return value


def load_config(path: Path) -> Config:
    """Read `path` if it exists; a broken file is a one-line error naming it."""
    if not path.exists():
        return Config()
    import tomllib

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise StudylogError(f"{path}: not valid TOML ({err})") from None
    day = _table(raw, "day", path)
    journal = _table(raw, "journal", path)
    starts_at = day.get("starts_at", 4)
    if not isinstance(starts_at, int) or not 0 <= starts_at <= 23:
        raise StudylogError(f"{path}: day.starts_at must be an hour from 0 to 23")
    review = _table(raw, "review", path)
    limits = {
        name: review.get(name, getattr(Config, name)) for name in ("new_per_day", "reviews_per_day")
    }
    for name, value in limits.items():
        if not isinstance(value, int) or value < 0:
            raise StudylogError(f"{path}: review.{name} must be a whole number ≥ 0")
    retention = review.get("desired_retention", Config.desired_retention)
    if not isinstance(retention, int | float) or not 0.7 <= retention <= 0.99:
        raise StudylogError(f"{path}: review.desired_retention must be between 0.7 and 0.99")
    fuzz = review.get("fuzz", True)
    if not isinstance(fuzz, bool):
        raise StudylogError(f"{path}: review.fuzz must be true or false")
    aliases = journal.get("aliases", {})
    valid_roles = {"spec", "review", "content", "plan"}
    if not isinstance(aliases, dict) or not set(aliases) <= valid_roles:
        raise StudylogError(f"{path}: journal.aliases keys must be among {sorted(valid_roles)}")
    keymap = _table(raw, "keymap", path)
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise StudylogError(
                f'{path}: keymap."{binding_id}" must be keys such as "ctrl+r" or "f5,ctrl+r"'
            )
    sandbox = _table(raw, "sandbox", path)
    idle = sandbox.get("idle_minutes", Config.sandbox_idle_minutes)
    if isinstance(idle, bool) or not isinstance(idle, int | float) or not idle > 0:
        raise StudylogError(f"{path}: sandbox.idle_minutes must be a number of minutes > 0")
    device = raw.get("device")
    if device is not None and (not isinstance(device, str) or not device.strip()):
        raise StudylogError(f'{path}: device must be a name such as "laptop"')
    return Config(
        device=device.strip() if device else None,
        day_starts_at=starts_at,
        sandbox_idle_minutes=float(idle),
        keymap=dict(keymap),
        role_aliases={k: list(v) for k, v in aliases.items()},
        desired_retention=float(retention),
        fuzz=fuzz,
        **limits,
    )
