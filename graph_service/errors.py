"""One exception root for the whole service; the web layer maps these to HTTP statuses."""

from __future__ import annotations

__all__ = [
    "OndergraafError",
    "ConfigError",
    "RegistryError",
    "GraphUnavailable",
    "QueryFailed",
    "QueryTimeout",
    "NotFound",
    "InvalidParams",
    "AccessDenied",
]


class OndergraafError(Exception):
    """Root of every error this project raises on purpose."""

    status_code = 500


class ConfigError(OndergraafError):
    """A setting is missing or malformed."""


class RegistryError(OndergraafError):
    """A Cypher file is malformed (header, name, parameters)."""


class GraphUnavailable(OndergraafError):
    """The graph engine cannot be reached."""

    status_code = 503


class QueryFailed(OndergraafError):
    """The engine rejected a statement from the registry."""


class QueryTimeout(QueryFailed):
    """The engine cancelled a read that ran longer than ``ONDERGRAAF_READ_TIMEOUT_SECONDS``."""

    status_code = 504


class NotFound(OndergraafError):
    """The entity, dossier or indicator asked for does not exist."""

    status_code = 404


class InvalidParams(OndergraafError):
    """A request parameter is out of range or malformed."""

    status_code = 422


class AccessDenied(OndergraafError):
    """The user's role or declared purpose does not allow this."""

    status_code = 403
