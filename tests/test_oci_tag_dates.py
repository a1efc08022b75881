"""A cached tag lookup dated in the future (a clock set back, another machine's clock, a hostile
cache entry) or not dated at all is of unknown age: a run online asks the registry again, so a
mutable tag's resolution still expires (floe_lint/oci/cache.py `Cache.tag`). Before, its age
read as 0 and the digest it named answered the tag forever. Against a real registry."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from floe_lint.model.refs import parse_oci
from floe_lint.oci.cache import FUTURE_SKEW
from floe_lint.oci.pull import Fetcher
from floe_lint.oci.settings import Settings
from floe_lint.oci.transport import Unavailable
from tests.conftest import ENTERPRISE, run_cli, write_files
from tests.oci_support import Registry, isolate

pytestmark = pytest.mark.xdist_group("test_oci_tag_dates")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    yield reg
    reg.stop()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(tmp_path, monkeypatch)


def _publish(root: Path, ref: str, name: str) -> str:
    """Publish an enterprise manifest named `name` to `ref`; its digest."""
    write_files(
        root,
        {
            ".floe-lint.yaml": "oci:\n  insecure: ['127.0.0.1']\n",
            f"pub/{name}.manifest.yaml": ENTERPRISE.replace("name: acme", f"name: {name}"),
        },
    )
    run = run_cli("publish", f"pub/{name}.manifest.yaml", ref)
    assert run.code == 0, run.stderr
    return run.stdout.strip()


def _date_lookups(root: Path, checked: float) -> None:
    """Set the date of every cached tag lookup (as a hostile or skewed cache would hold it)."""
    lookups = list((root / "fetched").glob("tag-*.json"))
    assert lookups
    for lookup in lookups:
        entry = json.loads(lookup.read_text())
        entry["checked"] = checked
        lookup.write_text(json.dumps(entry))


def _fetch(root: Path, ref: str, offline: bool = False) -> tuple[str, int]:
    """(the name in the manifest the tag resolves to, the requests sent), tag-ttl 300 s."""
    table = {"insecure": ["127.0.0.1"], "cache-dir": "fetched"}  # (not publish's)
    settings = Settings.load(table, root, env={}, offline=offline)
    fetcher = Fetcher(settings, env={})
    text = fetcher(parse_oci(ref)).read_text()
    return text.split("name: ")[1].split("}")[0], fetcher.network_requests


def test_a_lookup_dated_in_the_future_is_asked_again(tmp_path: Path, registry: Registry) -> None:
    ref = f"oci://{registry.host}/dates/ent:v1"
    _publish(tmp_path, ref, "first")
    assert _fetch(tmp_path, ref)[0] == "first"  # the lookup is cached
    _publish(tmp_path, ref, "second")  # the tag moves
    assert _fetch(tmp_path, ref) == ("first", 0)  # within tag-ttl: the cached lookup answers
    _date_lookups(tmp_path, time.time() + 10 * 365 * 86400)
    name, requests = _fetch(tmp_path, ref)
    assert (name, requests > 0) == ("second", True)  # asked again: where the tag is now
    # the lookup just made is dated now again, and answers while within tag-ttl
    assert _fetch(tmp_path, ref) == ("second", 0)


@pytest.mark.parametrize("checked", [float("nan"), float("inf"), float("-inf")])
def test_a_lookup_without_a_believable_date_is_asked_again(
    tmp_path: Path, registry: Registry, checked: float
) -> None:
    ref = f"oci://{registry.host}/undated/ent:v1"
    _publish(tmp_path, ref, "first")
    _fetch(tmp_path, ref)
    _publish(tmp_path, ref, "second")
    _date_lookups(tmp_path, checked)  # json writes NaN and Infinity, and reads them back
    name, requests = _fetch(tmp_path, ref)
    assert (name, requests > 0) == ("second", True)


def test_a_lookup_within_the_clock_skew_is_fresh(tmp_path: Path, registry: Registry) -> None:
    """Another machine sharing the cache may run a little ahead: a lookup dated up to
    FUTURE_SKEW ahead is one just made."""
    ref = f"oci://{registry.host}/skew/ent:v1"
    _publish(tmp_path, ref, "first")
    _fetch(tmp_path, ref)
    _publish(tmp_path, ref, "second")
    _date_lookups(tmp_path, time.time() + FUTURE_SKEW / 2)
    assert _fetch(tmp_path, ref) == ("first", 0)


def test_offline_still_lints_with_a_future_dated_lookup(tmp_path: Path) -> None:
    """Offline, any cached lookup answers, as before; online with the registry down, the
    error says the cached lookup's date is unknown (not `inf min ago`)."""
    reg = Registry(tmp_path / "own-registry").start()
    ref = f"oci://{reg.host}/down/ent:v1"
    try:
        _publish(tmp_path, ref, "first")
        _fetch(tmp_path, ref)
    finally:
        reg.stop()
    _date_lookups(tmp_path, time.time() + 86400)
    assert _fetch(tmp_path, ref, offline=True) == ("first", 0)
    with pytest.raises(Unavailable) as raised:
        _fetch(tmp_path, ref)
    assert str(raised.value).endswith(
        "; the cache knows this tag from an unknown date: --offline lints with that"
    ), raised.value
