"""Local accounts: argon2id hashes, lockout, tokens stored as hashes, the CLI, file modes."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from graph_service.cli import cli
from graph_service.config import load_settings
from graph_service.errors import InvalidParams, NotFound
from graph_service.security import IdentityProvider, LocalAccounts
from graph_service.security.audit import Actor, AuditTrail
from graph_service.security.users import TOKEN_PREFIX, AuthenticationFailed

PASSWORD = "correct horse battery staple"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def trail(tmp_path: Path) -> AuditTrail:
    return AuditTrail(tmp_path / "audit" / "audit.jsonl", b"k" * 32)


@pytest.fixture
def accounts(tmp_path: Path, trail: AuditTrail) -> LocalAccounts:
    return LocalAccounts(tmp_path / "security" / "users.sqlite", audit=trail, hasher=FAST)


def _db(accounts: LocalAccounts) -> sqlite3.Connection:
    db = sqlite3.connect(accounts.path)
    db.row_factory = sqlite3.Row
    return db


def test_files_are_owner_only(accounts: LocalAccounts) -> None:
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(accounts.path.parent.stat().st_mode) == 0o700
    assert isinstance(accounts, IdentityProvider)


def test_open_uses_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(env={"ONDERGRAAF_DATA_DIR": str(tmp_path / "d")})
    accounts = LocalAccounts.open(settings)
    assert accounts.path == tmp_path / "d" / "security" / "users.sqlite"


def test_password_hash_is_argon2id_and_verifies(tmp_path: Path) -> None:
    accounts = LocalAccounts(tmp_path / "u.sqlite")  # the real (default) parameters
    accounts.create_user("Alice", ["analyst", "riec_liaison"], display_name="Alice A",
                         password=PASSWORD)
    stored = _db(accounts).execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    who = accounts.verify_password("alice", PASSWORD)
    assert who.username == "alice" and who.display_name == "Alice A"
    assert who.roles == {"analyst", "riec_liaison"} and who.method == "password"
    with pytest.raises(AuthenticationFailed):
        accounts.verify_password("alice", PASSWORD + "!")


def test_rehash_when_parameters_change(accounts: LocalAccounts, tmp_path: Path) -> None:
    accounts.create_user("bob", ["analyst"], password=PASSWORD)
    old = _db(accounts).execute("SELECT password_hash FROM users").fetchone()[0]
    stronger = LocalAccounts(accounts.path, hasher=PasswordHasher(
        time_cost=2, memory_cost=2048, parallelism=1))
    stronger.verify_password("bob", PASSWORD)
    new = _db(accounts).execute("SELECT password_hash FROM users").fetchone()[0]
    assert new != old and "m=2048,t=2" in new
    stronger.verify_password("bob", PASSWORD)  # the new hash verifies
    assert _db(accounts).execute("SELECT password_hash FROM users").fetchone()[0] == new


def test_input_checks(accounts: LocalAccounts) -> None:
    with pytest.raises(InvalidParams, match="te kort"):
        accounts.create_user("c", ["analyst"], password="kort")
    with pytest.raises(InvalidParams, match="onbekende rol"):
        accounts.create_user("c", ["root"], password=PASSWORD)
    with pytest.raises(InvalidParams, match="minstens één rol"):
        accounts.create_user("c", [], password=PASSWORD)
    with pytest.raises(InvalidParams, match="gebruikersnaam"):
        accounts.create_user("c d", ["analyst"], password=PASSWORD)
    accounts.create_user("c", ["analyst"], password=PASSWORD)
    with pytest.raises(InvalidParams, match="bestaat al"):
        accounts.create_user("C", ["analyst"], password=PASSWORD)
    with pytest.raises(NotFound):
        accounts.set_password("nobody", PASSWORD)


def test_lockout_after_failures(accounts: LocalAccounts, trail: AuditTrail) -> None:
    accounts.create_user("dana", ["bibob_officer"], password=PASSWORD)
    for _ in range(accounts.max_failures - 1):
        with pytest.raises(AuthenticationFailed):
            accounts.verify_password("dana", "wrong password!!", client="10.0.0.9")
    assert accounts.get("dana").failed_logins == accounts.max_failures - 1
    accounts.verify_password("dana", PASSWORD)  # a right one resets the counter
    assert accounts.get("dana").failed_logins == 0
    for _ in range(accounts.max_failures):
        with pytest.raises(AuthenticationFailed):
            accounts.verify_password("dana", "wrong password!!")
    info = accounts.get("dana")
    assert info.locked() and info.locked_until is not None
    # locked: even the right password fails, with the same message
    with pytest.raises(AuthenticationFailed, match="onjuiste gebruikersnaam of wachtwoord"):
        accounts.verify_password("dana", PASSWORD)
    # the lockout ends by itself ...
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    with _db(accounts) as db:
        db.execute("UPDATE users SET locked_until = ?", (past,))
    assert accounts.verify_password("dana", PASSWORD).username == "dana"
    # ... or an administrator lifts it
    for _ in range(accounts.max_failures):
        with pytest.raises(AuthenticationFailed):
            accounts.verify_password("dana", "wrong password!!")
    accounts.set_disabled("dana", False)
    assert accounts.verify_password("dana", PASSWORD).username == "dana"
    failed = list(trail.read(action="login_failed"))
    assert len(failed) == 2 * accounts.max_failures + accounts.max_failures
    assert failed[0]["client"] == "10.0.0.9" and failed[0]["outcome"] == "denied"
    assert failed[0]["what"]["params"]["reason"] == "onjuist wachtwoord"
    assert any(r["what"]["params"]["reason"] == "account tijdelijk geblokkeerd" for r in failed)
    assert len(list(trail.read(action="login"))) == 3
    assert trail.verify().ok


def test_unknown_disabled_and_passwordless(accounts: LocalAccounts) -> None:
    with pytest.raises(AuthenticationFailed):
        accounts.verify_password("ghost", PASSWORD)
    accounts.create_user("svc", ["analyst"])  # tokens only
    with pytest.raises(AuthenticationFailed):
        accounts.verify_password("svc", "")
    accounts.create_user("erik", ["analyst"], password=PASSWORD)
    accounts.set_disabled("erik", True)
    with pytest.raises(AuthenticationFailed):
        accounts.verify_password("erik", PASSWORD)
    assert accounts.lookup("erik") is None
    accounts.set_disabled("erik", False)
    found = accounts.lookup("erik")
    assert found is not None and found.roles == {"analyst"}


def test_roles(accounts: LocalAccounts) -> None:
    accounts.create_user("fay", ["analyst"], password=PASSWORD)
    accounts.add_role("fay", "riec_liaison")
    accounts.add_role("fay", "riec_liaison")  # idempotent
    accounts.remove_role("fay", "analyst")
    assert accounts.get("fay").roles == ("riec_liaison",)
    with pytest.raises(InvalidParams, match="laatste rol"):
        accounts.remove_role("fay", "riec_liaison")
    with pytest.raises(InvalidParams):
        accounts.add_role("fay", "god")
    assert accounts.verify_password("fay", PASSWORD).roles == {"riec_liaison"}


def test_tokens_stored_as_hash_rotated_and_revoked(accounts: LocalAccounts,
                                                   trail: AuditTrail) -> None:
    accounts.create_user("gijs", ["analyst"], password=PASSWORD)
    token = accounts.issue_token("gijs", "bi-koppeling", actor=Actor("os:root", ("admin",)))
    assert token.startswith(TOKEN_PREFIX) and len(token) >= len(TOKEN_PREFIX) + 43
    dump = "\n".join(_db(accounts).iterdump())
    assert token not in dump and token[len(TOKEN_PREFIX):] not in dump
    (row,) = _db(accounts).execute("SELECT * FROM tokens").fetchall()
    import hashlib

    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["last_used"] is None
    who = accounts.authenticate_token(token)
    assert who.username == "gijs" and who.method == "token"
    assert accounts.get("gijs").tokens[0].last_used is not None

    with pytest.raises(InvalidParams, match="--rotate"):
        accounts.issue_token("gijs", "bi-koppeling")
    new = accounts.rotate_token("gijs", "bi-koppeling")
    assert new != token
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_token(token)  # the old one no longer works
    assert accounts.authenticate_token(new).username == "gijs"

    accounts.set_disabled("gijs", True)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_token(new)  # a disabled account's tokens fail too
    accounts.set_disabled("gijs", False)
    accounts.revoke_token("gijs", "bi-koppeling")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_token(new)
    with pytest.raises(NotFound):
        accounts.revoke_token("gijs", "bi-koppeling")
    for bad in ("", "og_", "Bearer x", TOKEN_PREFIX + "x" * 43):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate_token(bad)
    tokens = accounts.get("gijs").tokens
    assert [t.revoked is not None for t in tokens] == [True, True]
    admin = [r["what"]["name"] for r in trail.read(action="admin")]
    assert admin.count("users token") == 2 and "users revoke-token" in admin
    assert all(token not in line and new not in line
               for line in trail.path.read_text().splitlines())


def test_cli_users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONDERGRAAF_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> str:
        result = runner.invoke(cli, list(args), input=input)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.output

    run("users", "add", "hans", "--role", "bibob_officer", "--role", "riec_liaison",
        "--name", "Hans H", "--password-stdin", input=PASSWORD + "\n")
    # hidden prompt, asked twice
    run("users", "add", "ines", "--role", "analyst", input=f"{PASSWORD}\n{PASSWORD}\n")
    bad = runner.invoke(cli, ["users", "add", "jan", "--role", "root", "--password-stdin"],
                        input=PASSWORD + "\n")
    assert bad.exit_code == 2  # click refuses an unknown role
    out = run("users", "list")
    assert "hans" in out and "bibob_officer,riec_liaison" in out and "ines" in out
    run("users", "role", "ines", "--add", "riec_liaison", "--remove", "analyst")
    token = run("users", "token", "ines", "--name", "n1").strip().splitlines()[0]
    rotated = run("users", "token", "ines", "--name", "n1", "--rotate").strip().splitlines()[0]
    accounts = LocalAccounts.open(load_settings())
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_token(token)
    assert accounts.authenticate_token(rotated).roles == {"riec_liaison"}
    run("users", "revoke-token", "ines", "--name", "n1")
    run("users", "disable", "hans")
    with pytest.raises(AuthenticationFailed):
        accounts.verify_password("hans", PASSWORD)
    run("users", "enable", "hans")
    assert accounts.verify_password("hans", PASSWORD).username == "hans"
    run("users", "password", "hans", "--password-stdin", input="another long password\n")
    assert accounts.verify_password("hans", "another long password").username == "hans"
    import json

    listed = json.loads(run("users", "list", "--json"))
    assert {u["username"]: u["roles"] for u in listed} == {
        "hans": ["bibob_officer", "riec_liaison"], "ines": ["riec_liaison"]}
    trail = AuditTrail.open(load_settings())
    actions = [(r["actor"][:3], r["what"]["name"]) for r in trail.read(action="admin")]
    assert ("os:", "users add") in actions and ("os:", "users disable") in actions
    assert trail.verify().ok
