"""Settings from ``ONDERGRAAF_*`` environment variables (one place, one prefix)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

__all__ = ["PREFIX", "Settings", "env_value", "load_settings"]

PREFIX = "ONDERGRAAF_"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ondergraaf"


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field maps to ``ONDERGRAAF_<FIELD>``."""

    data_dir: Path = field(default_factory=_default_data_dir)
    neo4j_uri: str = ""
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    graph_name: str = "ondergraaf"
    batch_size: int = 1000
    falkordb_fsync: str = "always"
    #: Every read is cancelled by the engine after this many seconds (0 = no limit): one
    #: request over a large graph must not hold a worker and the engine indefinitely.
    read_timeout_s: float = 120.0
    #: The key file of ``ondergraaf backup`` / ``restore`` (kept apart from the backups).
    backup_key_file: Path | None = None

    @property
    def engine(self) -> str:
        """``neo4j`` when a Neo4j URI is configured, else the embedded ``falkordb``."""
        return "neo4j" if self.neo4j_uri else "falkordb"


def env_value(name: str, env: Mapping[str, str] | None = None) -> str:
    """The text of ``ONDERGRAAF_<name>`` in ``env`` (default: the process environment), or
    ``""`` when it is not set.

    For the settings that are read each time they are used rather than once into
    :class:`Settings`: indicator thresholds, retention periods, secret keys, and the demo
    size and output folder of the notebooks.
    """
    env = os.environ if env is None else env
    return env.get(PREFIX + name, "")


def _read_secret(env: Mapping[str, str], name: str) -> str:
    """A secret comes from ``NAME`` or from a file named by ``NAME_FILE`` (owner-only)."""
    value = env.get(PREFIX + name, "")
    path = env.get(PREFIX + name + "_FILE", "")
    if path and not value:
        p = Path(path)
        if p.stat().st_mode & 0o077:
            raise ConfigError(f"{path}: secret file must not be readable by group or others")
        value = p.read_text(encoding="utf-8").strip()
    return value


def load_settings(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from the environment, then apply explicit overrides."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if PREFIX + "DATA_DIR" in env:
        values["data_dir"] = Path(env[PREFIX + "DATA_DIR"]).expanduser()
    for name in ("neo4j_uri", "neo4j_user", "neo4j_database", "graph_name", "falkordb_fsync"):
        key = PREFIX + name.upper()
        if key in env:
            values[name] = env[key].strip()
    values["neo4j_password"] = _read_secret(env, "NEO4J_PASSWORD")
    if env.get(PREFIX + "BACKUP_KEY_FILE", "").strip():
        values["backup_key_file"] = Path(env[PREFIX + "BACKUP_KEY_FILE"].strip()).expanduser()
    if PREFIX + "BATCH_SIZE" in env:
        try:
            values["batch_size"] = int(env[PREFIX + "BATCH_SIZE"])
        except ValueError as exc:
            raise ConfigError("ONDERGRAAF_BATCH_SIZE must be a whole number") from exc
    if PREFIX + "READ_TIMEOUT_SECONDS" in env:
        try:
            values["read_timeout_s"] = float(env[PREFIX + "READ_TIMEOUT_SECONDS"])
        except ValueError as exc:
            raise ConfigError("ONDERGRAAF_READ_TIMEOUT_SECONDS must be a number") from exc
    values.update(overrides)
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.batch_size < 1:
        raise ConfigError("ONDERGRAAF_BATCH_SIZE must be at least 1")
    if settings.read_timeout_s < 0:
        raise ConfigError("ONDERGRAAF_READ_TIMEOUT_SECONDS must be 0 (no limit) or more")
    if settings.falkordb_fsync not in ("always", "everysec"):
        raise ConfigError("ONDERGRAAF_FALKORDB_FSYNC must be 'always' or 'everysec'")
    return settings
