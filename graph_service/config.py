"""Settings from ``ONDERGRAAF_*`` environment variables (one place, one prefix)."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

__all__ = ["PREFIX", "Settings", "env_value", "load_settings", "secret_key", "secure_dir"]

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


# -- secret keys kept as files in the data folder -----------------------------------------
DIR_MODE = 0o700
FILE_MODE = 0o600
MIN_KEY_CHARS = 16


def secure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) when missing; make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def secret_key(env_name: str, path: Path, env: Mapping[str, str] | None = None) -> bytes:
    """A secret key from ``ONDERGRAAF_<env_name>``, a file named by ``..._FILE``, or ``path``.

    ``path`` is made when missing: 32 random bytes as hex, mode 0600 from creation on. A
    key file readable by group or others is refused with :class:`ConfigError`.
    """
    value = env_value(env_name, env)
    if value:
        if len(value) < MIN_KEY_CHARS:
            raise ConfigError(f"{PREFIX}{env_name} is te kort (minstens {MIN_KEY_CHARS} tekens)")
        return value.encode("utf-8")
    named = env_value(env_name + "_FILE", env)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"{PREFIX}{env_name}_FILE: {path} bestaat niet")
    elif not path.exists():
        folder = secure_dir(path.parent)
        # write a complete key to a private temporary file, then link it into place: the
        # link fails when another process was first, so every process reads one key
        tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ConfigError(
            f"{path}: sleutelbestand is leesbaar voor groep of anderen; vervang de "
            "sleutel en zet de rechten op 0600"
        )
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < MIN_KEY_CHARS:
        raise ConfigError(f"{path}: sleutel is leeg of te kort (minstens {MIN_KEY_CHARS} tekens)")
    return text.encode("utf-8")
