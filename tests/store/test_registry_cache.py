"""The registry kept between processes: the same statements as a fresh build, never stale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_service.store import registry as reg
from graph_service.store.registry import build_registry, load_registry, shipped_files


def _as_tuples(registry: reg.Registry) -> list[tuple[object, ...]]:
    return [(s.name, s.mode, s.params, s.text, s.meta, s.variants) for s in registry]


def _cache_files() -> list[Path]:
    folder = reg._cache_dir()
    assert folder is not None, "the cypher package is a folder in this checkout"
    return sorted(folder.glob("registry-*.json"))


@pytest.fixture
def fresh() -> Iterator[None]:
    load_registry.cache_clear()
    yield
    load_registry.cache_clear()


def test_the_cached_registry_is_the_built_one(fresh: None) -> None:
    first = load_registry()  # builds and keeps it, or reads what an earlier run kept
    key = reg._cache_key(shipped_files())
    assert [p.name for p in _cache_files()] == [f"registry-{key}.json"]
    load_registry.cache_clear()
    again = load_registry()  # now surely from the file
    assert again is not first
    assert _as_tuples(again) == _as_tuples(build_registry(shipped_files()))


def test_an_unreadable_cache_is_rebuilt(fresh: None) -> None:
    load_registry()
    (cache,) = _cache_files()
    cache.write_text('{"key": "x", "statements": [', encoding="utf-8")
    load_registry.cache_clear()
    assert _as_tuples(load_registry()) == _as_tuples(build_registry(shipped_files()))
    assert cache.read_text(encoding="utf-8").startswith('{"key": ')
    assert reg._cached_registry(cache.stem.removeprefix("registry-")) is not None


def test_any_change_to_a_file_gives_another_cache() -> None:
    files = shipped_files()
    key = reg._cache_key(files)
    name = sorted(f for f in files if f.startswith("read/"))[0]
    assert name in files
    assert reg._cache_key({**files, name: files[name] + " "}) != key
    assert reg._cache_key({**files, "read/new.cypher": "RETURN 1"}) != key
    assert reg._cache_key({k: v for k, v in files.items() if k != name}) != key
    assert reg._cache_key(dict(files)) == key
