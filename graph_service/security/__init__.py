"""Who may see what, for which purpose, and the record of it (see docs/security.md).

* :mod:`.users`: accounts, passwords (argon2id), lockout and API tokens behind the
  :class:`IdentityProvider` protocol (local accounts now, the municipality's OIDC later).
* :mod:`.policy`: doelbinding as data: role x purpose -> visible purpose classes and
  pseudonymisation; :func:`resolve` gives the :class:`graph_service.store.access.Scope`.
* :mod:`.audit`: the append-only, HMAC-chained audit trail.
* :mod:`.retention`: keeping periods per source; plan and apply.
* :mod:`.session`: the one door for reads outside the web (:class:`~.session.Session`:
  the CLI's read commands, notebooks, scripts), with :mod:`.operator` (the OS user and
  the role per purpose) and :mod:`.absence` (what a scope leaves out, said in the answer).
"""

from __future__ import annotations

from .audit import Actor, AuditError, AuditTrail, VerifyResult, uids_in
from .operator import CommandAudit, local_actor
from .policy import POLICY, PURPOSES, ROLES, allowed, resolve
from .users import AuthenticationFailed, Identity, IdentityProvider, LocalAccounts

__all__ = [
    "Actor",
    "AuditError",
    "AuditTrail",
    "AuthenticationFailed",
    "CommandAudit",
    "Identity",
    "IdentityProvider",
    "LocalAccounts",
    "POLICY",
    "PURPOSES",
    "ROLES",
    "VerifyResult",
    "allowed",
    "local_actor",
    "resolve",
    "uids_in",
]
