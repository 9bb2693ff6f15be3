"""Uid builders: one function per uid rule of the model file, named ``<rule>_uid``.

The formats live in ``model.yaml``; these functions only name the fields, so a caller
cannot mix them up and a change of a rule (a person key under a secret, say) is one edit
of the model and, at most, of one function here. Every rule has a builder and every
builder a rule: importing this module checks both ways and raises :class:`ModelError`.

Values go in as they come from the source (cleaned, never reformatted here): the uids are
published in audit logs and reports and must stay what they are.

Person uids are keyed (``docs/security.md``, "Person uids"): a uid made of a name and a
birth date alone could be computed by anyone who knows both, and 16 hex characters of an
unkeyed digest over initials x birth dates are reversed by brute force in a second. The two
person rules (``person``, ``unresolved_person``) therefore give
``"person:k:" + HMAC-SHA256(identity key, legacy uid)[:16]``, where the legacy uid is the
unkeyed ``"person:" + sha1(...)[:16]`` earlier releases wrote (so ``ondergraaf upgrade``
needs only the stored uid to migrate: :func:`rekey_legacy_person`). The identity key
(:func:`identity_key`) is ``ONDERGRAAF_IDENTITY_KEY``, a file named by
``ONDERGRAAF_IDENTITY_KEY_FILE``, or ``<data_dir>/security/identity.key`` (made on first
use, mode 0600).

Examples
--------
>>> organisation_uid("12345678")
'kvk:12345678'
>>> park_unit_uid("VP-07", "112")
'unit:VP-07/112'
>>> label_of_uid("unit:VP-07/112")
'ParkUnit'
>>> uid_fields("unit:VP-07/112")
{'park_id': 'VP-07', 'eenheid_id': '112'}
>>> bibob_dossier_uid("2025-0012") == uid_from_text("bibob_dossier", " dossier:2025-0012 ")
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import re
import string
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path

from ..config import env_value, load_settings, secret_key
from .schema import MODEL, ModelError, UidRule

__all__ = [
    "BUILDERS",
    "address_uid",
    "bag_address_uid",
    "bibob_dossier_uid",
    "foreign_address_uid",
    "foreign_organisation_uid",
    "holiday_park_uid",
    "identity_key",
    "is_legacy_person",
    "label_of_uid",
    "listed_organisation_uid",
    "listed_person_uid",
    "load_run_stamp",
    "load_run_uid",
    "one_identity_key",
    "organisation_uid",
    "park_unit_uid",
    "parse_uid",
    "person_uid",
    "rekey_legacy_person",
    "rural_object_uid",
    "signal_uid",
    "uid_fields",
    "uid_from_text",
    "unresolved_person_uid",
]

_RULES = MODEL.uid_rules

# -- the identity key -------------------------------------------------------------------------
#: Where the identity key lives in the data folder (and in backups, encrypted).
IDENTITY_KEY_FILE = Path("security") / "identity.key"
#: The uids of persons before they were keyed: ``person:`` and 16 hex characters.
LEGACY_PERSON = re.compile(r"person:[0-9a-f]{16}")
_LEGACY_PREFIX = "person:"
_KEYS: dict[tuple[str, str, str], bytes] = {}
#: the key of :func:`one_identity_key`'s block, if inside one
_ONE_KEY: ContextVar[bytes | None] = ContextVar("ondergraaf_identity_key", default=None)


def identity_key(env: Mapping[str, str] | None = None) -> bytes:
    """The key person uids are made under: ``ONDERGRAAF_IDENTITY_KEY``, the file named by
    ``ONDERGRAAF_IDENTITY_KEY_FILE``, or ``<data_dir>/security/identity.key`` (made when
    missing, 0600; a file readable by others is refused with :class:`ConfigError`).

    Kept per process for the environment it was read from; inside
    :func:`one_identity_key` the key read at the block's start.
    """
    if env is None and (one := _ONE_KEY.get()) is not None:
        return one
    env = os.environ if env is None else env
    where = (env_value("IDENTITY_KEY", env), env_value("IDENTITY_KEY_FILE", env),
             env_value("DATA_DIR", env))
    key = _KEYS.get(where)
    if key is None:
        path = load_settings(env).data_dir.expanduser() / IDENTITY_KEY_FILE
        key = _KEYS[where] = secret_key("IDENTITY_KEY", path, env)
    return key


@contextlib.contextmanager
def one_identity_key() -> Iterator[bytes]:
    """Make every person uid of the block under the key that holds at its start.

    A load's check pass makes a person uid per row or more: looking the key up in the
    environment each time (three variables) cost about 9 µs a person, 7% of checking the
    five files of the 100k set. One key for a whole file is also what a load should use.
    """
    key = identity_key()
    token = _ONE_KEY.set(key)
    try:
        yield key
    finally:
        _ONE_KEY.reset(token)


#: Per identity key, an HMAC-SHA256 with the key set up: a copy of it gives the digest of
#: ``hmac.new(key, ..., sha256)`` without preparing the key again for every uid of a load.
_HMACS: dict[bytes, hmac.HMAC] = {}


def _keyed(legacy: str) -> str:
    key = identity_key()
    prepared = _HMACS.get(key)
    if prepared is None:
        prepared = _HMACS[key] = hmac.new(key, digestmod=hashlib.sha256)
    mac = prepared.copy()
    mac.update(legacy.encode("utf-8"))
    return "person:k:" + mac.hexdigest()[:16]


def _person(rule: str, values: Mapping[str, object]) -> str:
    spec = _RULES[rule]
    unkeyed = spec.build(values)  # the rule's digest, unkeyed: the legacy uid's digest
    return _keyed(_LEGACY_PREFIX + unkeyed[len(spec.prefix):])


def is_legacy_person(uid: str) -> bool:
    """True for a person uid of the unkeyed scheme before keyed uids (``person:`` + 16 hex)."""
    return LEGACY_PERSON.fullmatch(uid) is not None


def rekey_legacy_person(uid: str) -> str:
    """The keyed uid of a person stored under its legacy uid (what the builders now give
    for the same values); for ``ondergraaf upgrade``. Refuses any other uid."""
    if not is_legacy_person(uid):
        raise ModelError(f"{uid!r} is not a legacy person uid")
    return _keyed(uid)


# -- one builder per rule -------------------------------------------------------------------
def person_uid(name_key: str) -> str:
    """A person identified by ``name_key`` (``surname|initial|geboortedatum``), keyed."""
    return _person("person", {"name_key": name_key})


def unresolved_person_uid(record: str, column_group: str, folded_surname: str,
                          folded_given_names: str | None) -> str:
    """A person mention without a birth date: its own uid per record and column group
    (keyed, as :func:`person_uid`)."""
    return _person("unresolved_person", {
        "record": record, "column_group": column_group, "folded_surname": folded_surname,
        "folded_given_names": folded_given_names})


def listed_person_uid(ftm_id: str) -> str:
    """A person of an outside list (source ftm) by its FollowTheMoney id (keyed, as
    :func:`person_uid`)."""
    return _person("listed_person", {"ftm_id": ftm_id})


def organisation_uid(kvk_nummer: str) -> str:
    """An organisation by its KvK number."""
    return _RULES["organisation"].build({"kvk_nummer": kvk_nummer})


def foreign_organisation_uid(folded_name: str, land: str | None) -> str:
    """An organisation without a KvK number: by folded name and country."""
    return _RULES["foreign_organisation"].build({"folded_name": folded_name, "land": land})


def listed_organisation_uid(ftm_id: str) -> str:
    """An organisation of an outside list (source ftm) by its FollowTheMoney id."""
    return _RULES["listed_organisation"].build({"ftm_id": ftm_id})


def address_uid(pc_key: str) -> str:
    """A Dutch address by postcode key (``7991AB12``, ``7991AB12-A``)."""
    return _RULES["address"].build({"pc_key": pc_key})


def bag_address_uid(bag_id: str) -> str:
    """A Dutch address known only by its BAG id."""
    return _RULES["bag_address"].build({"bag_id": bag_id})


def foreign_address_uid(land: str, postcode: str | None, huisnummer: object,
                        toevoeging: str | None) -> str:
    """An address abroad: country and a digest of its parts."""
    return _RULES["foreign_address"].build({
        "land": land, "postcode": postcode, "huisnummer": huisnummer,
        "toevoeging": toevoeging})


def rural_object_uid(object_id: str) -> str:
    """A rural object (shed, barn) by its object id."""
    return _RULES["rural_object"].build({"object_id": object_id})


def holiday_park_uid(park_id: str) -> str:
    """A holiday park by its park id."""
    return _RULES["holiday_park"].build({"park_id": park_id})


def park_unit_uid(park_id: str, eenheid_id: str) -> str:
    """A unit of a holiday park."""
    return _RULES["park_unit"].build({"park_id": park_id, "eenheid_id": eenheid_id})


def bibob_dossier_uid(dossier_id: str) -> str:
    """A Bibob dossier by its number."""
    return _RULES["bibob_dossier"].build({"dossier_id": dossier_id})


def signal_uid(signaal_id: str) -> str:
    """A RIEC signal by its signal id."""
    return _RULES["signal"].build({"signaal_id": signaal_id})


def load_run_uid(source: str, finished: str) -> str:
    """One load of a source, by the moment it finished."""
    return _RULES["load_run"].build({"source": source, "finished": finished})


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def load_run_stamp(run_uid: str) -> str:
    """How the facts a load writes name its run (``prov_run "<source>|<stamp>"``,
    docs/graph-model.md, "Load runs and ended facts"): the moment in the run's uid
    (:func:`load_run_uid`) as microseconds since 1970-01-01 UTC in base 36 (10 characters
    until 2085), where the uid takes 41; unique as the uid is. Stored beside the uid on
    the ``LoadRun``."""
    fields = _RULES["load_run"].parse(run_uid)
    if fields is None:
        raise ValueError(f"not a load run uid: {run_uid!r}")
    moment = dt.datetime.fromisoformat(fields["finished"])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    n = (moment - _EPOCH) // dt.timedelta(microseconds=1)
    digits = []
    while True:
        n, d = divmod(n, 36)
        digits.append(_BASE36[d])
        if not n:
            return "".join(reversed(digits))


# -- reading uids ---------------------------------------------------------------------------
# Most specific first: a longer prefix, then more literal text (``addr:{land}:{digest}``
# before ``addr:{pc_key}``).
def _literal_length(rule: UidRule) -> int:
    return sum(len(literal) for literal, *_ in string.Formatter().parse(rule.format))


_BY_SPECIFICITY: tuple[UidRule, ...] = tuple(sorted(
    _RULES.values(), key=lambda rule: (-len(rule.prefix), -_literal_length(rule))))
_LABEL_OF_SCHEME: dict[str, str] = {
    rule.prefix.split(":", 1)[0]: rule.label for rule in _RULES.values()}


def label_of_uid(uid: str) -> str | None:
    """The label a uid belongs to, by its prefix (None for an unknown prefix)."""
    scheme, sep, _ = uid.partition(":")
    return _LABEL_OF_SCHEME.get(scheme) if sep else None


def parse_uid(uid: str) -> tuple[str, dict[str, str]] | None:
    """``(rule name, fields)`` of the most specific rule ``uid`` fits, or None.

    Rules with the same format (a person and an unresolved person) cannot be told apart:
    the first of the model file is named.
    """
    for rule in _BY_SPECIFICITY:
        if uid.startswith(rule.prefix):
            fields = rule.parse(uid)
            if fields is not None:
                return rule.name, fields
    return None


def uid_fields(uid: str) -> dict[str, str]:
    """The fields of ``uid`` (:func:`parse_uid`), empty when no rule fits."""
    found = parse_uid(uid)
    return found[1] if found else {}


def uid_from_text(rule: str, text: str) -> str:
    """A user's id or uid as a uid of ``rule``: ``2025-0012`` and ``dossier:2025-0012``
    both give ``dossier:2025-0012`` (surrounding spaces dropped).

    Only for rules with a single field and no digest (a number a user types).
    """
    found = _RULES.get(rule)
    if found is None or found.digest or len(found.fields) != 1:
        raise ModelError(f"uid rule {rule!r} does not take a single typed value")
    value = text.strip()
    if value.startswith(found.prefix):
        return value
    return found.build({found.fields[0]: value})


# -- every rule has its builder, every builder its rule ---------------------------------------
def _builders() -> dict[str, Callable[..., str]]:
    here = globals()
    builders: dict[str, Callable[..., str]] = {}
    for name in _RULES:
        fn = here.get(f"{name}_uid")
        if not callable(fn):
            raise ModelError(f"uid rule {name!r} has no builder {name}_uid in {__name__}")
        builders[name] = fn
    helpers = {"label_of_uid", "parse_uid", "uid_from_text"}
    strays = sorted(n for n, v in here.items() if n.endswith("_uid") and callable(v)
                    and n not in helpers and n[: -len("_uid")] not in _RULES)
    if strays:
        raise ModelError(f"builders without a uid rule in the model: {', '.join(strays)}")
    return builders


#: Rule name -> its builder.
BUILDERS: dict[str, Callable[..., str]] = _builders()
