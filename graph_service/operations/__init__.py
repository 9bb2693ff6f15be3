"""Running the service for years: backups and restores of the data folder and the graph,
and upgrades of their schema.

A layer above the store and the security layer and below the command line:

* :mod:`.crypto`: the backup key and the encryption of backup files at rest;
* :mod:`.graphdump`: the graph's counts, and the logical export and import (Neo4j);
* :mod:`.backup`: ``ondergraaf backup`` (the engine's snapshot, the security folder, the
  audit trail, the authenticated manifest) and the pruning of old backups;
* :mod:`.restore`: ``ondergraaf restore``, checked before anything is written;
* :mod:`.upgrade`: ``ondergraaf upgrade``, the ordered schema migration steps.

See docs/operations.md, "Backup and restore" and "Upgrades".
"""

from __future__ import annotations

from .backup import BackupError, backup, check_key_location, prune, read_manifest
from .crypto import BackupKeyError, new_key_file, read_key_file
from .restore import apply_retention, extract_neo4j_dump, restore, verify_backup

__all__ = [
    "BackupError",
    "BackupKeyError",
    "apply_retention",
    "backup",
    "check_key_location",
    "extract_neo4j_dump",
    "new_key_file",
    "prune",
    "read_key_file",
    "read_manifest",
    "restore",
    "verify_backup",
]
