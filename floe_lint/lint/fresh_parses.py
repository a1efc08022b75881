"""The texts of the parses a run made to keep (floe_lint.lint.parsed), held until the run
saves them: beyond a small run's worth, in an anonymous temporary file in the cache folder,
each kept in memory as its place there (issue 17: an edited domain's products, about 2.2 KB
of JSON text each, were all held to the end of the run: 6.3 MB at 30,000 products, a tenth of
its peak, growing with the tree).

A text is ASCII (JSON written so), so its place (offset and length in bytes) reads it back
exactly. A text that could not be written is not held: its parse is not kept, and the next
run that checks its file again parses it, as for a parse that is not plain JSON.
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

#: the bytes of texts held in memory before they go to a file (a pre-commit hook's run, or an
#: edit under a small tree, makes none)
HELD = 256 * 1024
#: a text's place in the file: its offset times 2**32, plus its length
_SHIFT = 32


class FreshParses:
    """Texts added (`add`), each read back by what `add` returned (`get`)."""

    def __init__(self, folder: Path, held: int | None = None):
        self.folder = folder
        self._room = HELD if held is None else held
        self._file: IO[bytes] | None = None
        self._end = 0  # (the file's length: where the next text goes)
        self._at_end = True  # (whether the file is at its end: not after a `get`)
        self._broken = False  # (a text could not be written: no more are)

    def add(self, text: str) -> str | int | None:
        """What to keep for `text`: itself while few are held, else its place in the file;
        None when it could not be written (or is not ASCII, as no parse kept is)."""
        if len(text) <= self._room:
            self._room -= len(text)
            return text
        if self._broken or not text.isascii():
            return None
        try:
            if self._file is None:
                import tempfile

                self.folder.mkdir(parents=True, exist_ok=True)
                # anonymous, readable by its owner alone, gone when closed or the run ends
                self._file = tempfile.TemporaryFile(dir=self.folder)  # noqa: SIM115
            elif not self._at_end:
                self._file.seek(self._end)
                self._at_end = True
            raw = text.encode("ascii")
            self._file.write(raw)
        except OSError:
            self._broken = True  # (the places given stay readable, or read as None)
            return None
        place = self._end << _SHIFT | len(raw)
        self._end += len(raw)
        return place

    def get(self, kept: str | int) -> str | None:
        """The text `add` returned `kept` for; None when it cannot be read back."""
        if type(kept) is str:
            return kept
        assert isinstance(kept, int)
        file = self._file
        if file is None:
            return None
        length = kept & ((1 << _SHIFT) - 1)
        try:
            self._at_end = False
            file.seek(kept >> _SHIFT)  # (a buffered file writes what it holds first)
            raw = file.read(length)
        except OSError:
            return None
        return raw.decode("ascii") if len(raw) == length else None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
