"""How `check` maps `oci://` refs (and the other keys of `--ref` and the config's `refs`) to
local files, for the dependents search (`floe_lint.model.reverse_index`): which local file a ref
reaches, and what text any ref reaching a given file must hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from floe_lint.load.paths import real
from floe_lint.model.refs import RefError, is_oci, parse_oci


class OciTable:
    """Maps `oci://` refs (and other override keys) to local files, as `check` resolves them.

    A ref reaches a local file when it is an override key, or when its digest (pinned in the ref,
    or recorded for it by a floe.lock) is the digest of an override key (pinned in the key, or
    recorded for the key by a floe.lock).
    """

    def __init__(self, overrides: Mapping[str, Path], locks: Mapping[str, str]):
        self.overrides = {key.strip(): _manifest_in(path) for key, path in overrides.items()}
        self.locks = dict(locks)
        self.by_digest: dict[str, Path] = {}
        for key, path in self.overrides.items():
            digest = self._digest(key)
            if digest is not None:
                self.by_digest.setdefault(digest, path)

    def _digest(self, key: str) -> str | None:
        if not is_oci(key):
            return None
        try:
            ref = parse_oci(key)
        except RefError:
            return None
        return ref.digest or self.locks.get(str(ref))

    def target(self, text: str) -> Path | None:
        if text in self.overrides:
            return self.overrides[text]
        if not is_oci(text):
            return None
        try:
            normal = str(parse_oci(text))
        except RefError:
            return None
        if normal in self.overrides:
            return self.overrides[normal]
        digest = self._digest(normal)
        return self.by_digest.get(digest) if digest is not None else None

    def needles(self, targets: Iterable[Path]) -> set[bytes]:
        """Text that any ref reaching one of `targets` through this table must contain."""
        wanted = set(targets)
        found: set[bytes] = set()
        for key, path in self.overrides.items():
            if real(path) not in wanted:
                continue
            if is_oci(key):
                try:
                    ref = parse_oci(key)
                except RefError:
                    continue
                found.add(f"{ref.host}/{ref.repository}".encode())
            else:
                found.add(key.encode())
        return found


def _manifest_in(path: Path) -> Path:
    """The file an override names: a folder's manifest.yaml (else manifest.yml), as `check`'s
    resolver reads it (`Resolver._existing`); a key mapped to the folder reaches that file."""
    try:
        if path.is_dir():
            for name in ("manifest.yaml", "manifest.yml"):
                if (path / name).is_file():
                    return path / name
    except OSError:
        pass
    return path
