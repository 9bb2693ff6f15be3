"""Encryption of backups at rest: one backup key, kept apart from the backups.

The **backup key** is 32 random bytes, kept as 64 hex characters in a key file of mode
0600 (:func:`new_key_file`, :func:`read_key_file`). It never goes into a backup folder or
the data folder: whoever holds a backup without the key holds nothing readable.

Every file of a backup is encrypted on its own with AES-256-GCM in a *streaming* layout
(the STREAM construction: a large snapshot never has to fit in memory)::

    header  = b"OGBKENC1" | salt (16 bytes) | nonce prefix (7 bytes)
    chunk i = AES-256-GCM(file key, nonce = prefix | i (4 bytes, big-endian) | last (1 byte),
                          plaintext[i * 1 MiB : (i + 1) * 1 MiB], aad = header | name)

The file key is derived from the backup key and the file's random salt (HKDF-SHA256), so no
two files share a key and nonces never repeat. The last chunk carries ``last = 1``: a file
cut off at a chunk boundary, chunks swapped, dropped or appended, a file renamed to another
file's name (the name is authenticated) or a single flipped bit all fail decryption.

The manifest is authenticated with an HMAC-SHA256 under a second key derived from the
backup key (:func:`manifest_mac`); :func:`key_id` names a key without revealing it, so a
restore with the wrong key says so instead of reporting tampering.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import OndergraafError

__all__ = [
    "CHUNK",
    "KEY_BYTES",
    "BackupKeyError",
    "DecryptionFailed",
    "EncryptingWriter",
    "decrypt_chunks",
    "decrypt_file",
    "encrypt_file",
    "key_id",
    "manifest_mac",
    "new_key_file",
    "read_key_file",
    "sha256_file",
]

KEY_BYTES = 32
CHUNK = 1024 * 1024
MAGIC = b"OGBKENC1"
_SALT = 16
_PREFIX = 7
_TAG = 16
HEADER_BYTES = len(MAGIC) + _SALT + _PREFIX
_FILE_INFO = b"ondergraaf backup file v1"
_MAC_INFO = b"ondergraaf backup manifest v1"
_ID_INFO = b"ondergraaf backup key id v1"


class BackupKeyError(OndergraafError):
    """The backup key is missing, unreadable, too open or malformed."""


class DecryptionFailed(OndergraafError):
    """A backup file does not decrypt with this key: changed, cut off, or another key."""


# -- the key ----------------------------------------------------------------------------------
def new_key_file(path: Path) -> bytes:
    """Make a new backup key in ``path`` (mode 0600 from the first byte); never overwrites."""
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupKeyError(f"{path} bestaat al; een sleutel wordt nooit overschreven") from None
    except OSError as exc:
        raise BackupKeyError(f"{path}: sleutel niet te schrijven: {exc}") from exc
    try:
        os.write(fd, key.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def read_key_file(path: Path) -> bytes:
    """The backup key in ``path``; refused when group or others can read the file."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise BackupKeyError(f"backupsleutel {path} bestaat niet") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupKeyError(f"backupsleutel {path} is niet te lezen: {exc}") from exc
    if mode & 0o077:
        raise BackupKeyError(f"backupsleutel {path} is leesbaar voor groep of anderen; zet "
                             "de rechten op 0600 (en overweeg een nieuwe sleutel)")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupKeyError(f"backupsleutel {path} is geen sleutel van {KEY_BYTES} bytes "
                             f"({2 * KEY_BYTES} hextekens)")
    return key


def _derive(key: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(key)


def key_id(key: bytes) -> str:
    """A short public name of ``key`` (an HMAC of a constant; reveals nothing of the key)."""
    return hmac.new(key, _ID_INFO, hashlib.sha256).hexdigest()[:16]


def manifest_mac(key: bytes, body: bytes) -> str:
    """The HMAC-SHA256 of a manifest's canonical bytes under a key derived from ``key``."""
    return hmac.new(_derive(key, _MAC_INFO), body, hashlib.sha256).hexdigest()


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index >= 2**32:
        raise DecryptionFailed("bestand te groot voor het backupformaat")
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


# -- files ------------------------------------------------------------------------------------
class EncryptingWriter:
    """Write plaintext in, an encrypted file out (and its SHA-256 and size as written).

    ``name`` is the file's path inside the backup; it is authenticated with every chunk.
    The file is created with mode 0600 and must not exist. :meth:`close` writes the last
    chunk; a writer that is not closed leaves a file that does not decrypt.
    """

    def __init__(self, path: Path, key: bytes, name: str) -> None:
        salt, prefix = secrets.token_bytes(_SALT), secrets.token_bytes(_PREFIX)
        self._header = MAGIC + salt + prefix
        self._aad = self._header + name.encode("utf-8")
        self._aes = AESGCM(_derive(key, _FILE_INFO, salt))
        self._prefix = prefix
        self._index = 0
        self._buf = bytearray()
        self._sha = hashlib.sha256()
        self.size = 0
        self.plain_size = 0
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh: BinaryIO = os.fdopen(fd, "wb")
        self._out(self._header)

    def _out(self, data: bytes) -> None:
        self._fh.write(data)
        self._sha.update(data)
        self.size += len(data)

    def _seal(self, data: bytes, last: bool) -> None:
        self._out(self._aes.encrypt(_nonce(self._prefix, self._index, last), data, self._aad))
        self._index += 1

    def write(self, data: bytes) -> None:
        self._buf += data
        self.plain_size += len(data)
        # keep at least one byte back: the last chunk is only known at close
        while len(self._buf) > CHUNK:
            self._seal(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]

    def close(self) -> str:
        """Seal the last chunk, flush to disk; returns the SHA-256 (hex) of the file."""
        self._seal(bytes(self._buf), last=True)
        self._buf.clear()
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        return self._sha.hexdigest()

    def abort(self) -> None:
        self._fh.close()


def encrypt_file(src: Path, dest: Path, key: bytes, name: str) -> tuple[str, int, int]:
    """Encrypt ``src`` into ``dest``; ``(sha256 of dest, size of dest, size of src)``."""
    writer = EncryptingWriter(dest, key, name)
    try:
        with src.open("rb") as fh:
            while block := fh.read(CHUNK):
                writer.write(block)
    except BaseException:
        writer.abort()
        raise
    digest = writer.close()
    return digest, writer.size, writer.plain_size


def decrypt_chunks(path: Path, key: bytes, name: str) -> Iterator[bytes]:
    """The plaintext of an encrypted backup file, chunk by chunk, each authenticated.

    Raises :class:`DecryptionFailed` at the first chunk that does not authenticate (a
    changed byte, a cut-off file, another key or another file's name).
    """
    with path.open("rb") as fh:
        header = fh.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise DecryptionFailed(f"{name}: geen versleuteld backupbestand")
        salt = header[len(MAGIC):len(MAGIC) + _SALT]
        prefix = header[len(MAGIC) + _SALT:]
        aes = AESGCM(_derive(key, _FILE_INFO, salt))
        aad = header + name.encode("utf-8")
        size = CHUNK + _TAG
        index = 0
        block = fh.read(size)
        while True:
            following = fh.read(size)
            last = not following
            try:
                yield aes.decrypt(_nonce(prefix, index, last), block, aad)
            except (InvalidTag, ValueError):
                raise DecryptionFailed(f"{name}: deel {index + 1} is niet te ontsleutelen "
                                       "(gewijzigd, ingekort of een andere sleutel)") from None
            if last:
                return
            block, index = following, index + 1


def decrypt_file(src: Path, dest: Path, key: bytes, name: str) -> int:
    """Decrypt ``src`` into a new file ``dest`` (mode 0600); returns the plaintext size."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    size = 0
    with os.fdopen(fd, "wb") as out:
        for chunk in decrypt_chunks(src, key, name):
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of a file, read in chunks."""
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            sha.update(block)
    return sha.hexdigest()
