"""A YAML or JSON syntax error explained: the message and place, in the terms of the mistakes
people make (a tab in the indentation, a quote never closed), kept inside the file's lines."""

from __future__ import annotations

from collections.abc import Iterator

from floe_lint.findings import FILE_START, Span
from floe_lint.load.problems import LoadProblem
from floe_lint.load.pyyaml import yaml


def _problem_span(error: yaml.YAMLError, text: str) -> Span:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        if isinstance(error, yaml.reader.ReaderError):
            return _character_span(text, error.position)
        return FILE_START
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def inside(span: Span, lines: list[str]) -> Span:
    """`span` moved within the file's lines: libyaml counts lines its own way (NEL) and points
    past the last one at the end of the input; the place shown is then the last line's end."""
    if not lines:
        return FILE_START
    if span.start_line > len(lines):
        return Span(len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 1)
    line = span.start_line
    col = min(span.start_col, len(lines[line - 1]) + 1)
    end_line = min(max(span.end_line, line), len(lines))
    end_col = min(span.end_col, len(lines[end_line - 1]) + 1)
    if end_line == line:
        end_col = max(end_col, col)
    return Span(line, col, end_line, end_col)


def _character_span(text: str, byte_offset: int) -> Span:
    """The span of the character at a UTF-8 byte offset of `text` (libyaml's reader reports
    a forbidden character, such as NUL, by offset, not by line), in code-point columns."""
    index = len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return Span(line, col, line, col + 1)


def _syntax_message(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return f"invalid YAML: {error.reason} (U+{error.character:04X})"
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    return f"invalid YAML: {problem}" + (f" ({context})" if context else "")


def json_problem(text: str) -> LoadProblem | None:
    """JSON is read with the YAML parser (for its spans), which also accepts what JSON does not:
    the problem that makes `text` invalid JSON, if any. Python's json module also reads `NaN`,
    `Infinity` and `-Infinity`, which JSON does not have (and PyYAML reads as text)."""
    import json

    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        span = Span(error.lineno, error.colno, error.lineno, error.colno + 1)
        return LoadProblem("yaml-syntax", f"invalid JSON: {error.msg}", span)
    except RecursionError:
        return LoadProblem("yaml-syntax", "document is nested too deeply", FILE_START)
    except ValueError:  # an integer longer than Python converts (JSONDecodeError is caught)
        for _, span in _json_tokens(text, _LONG_INT):
            return LoadProblem("yaml-syntax", f"invalid JSON: {_TOO_LONG}", span)
        return LoadProblem("yaml-syntax", f"invalid JSON: {_TOO_LONG}", FILE_START)
    for token, span in _json_tokens(text, _CONSTANTS):
        return LoadProblem(
            "yaml-syntax",
            f"invalid JSON: {token} is not a JSON value (Python's json module reads it as a "
            "number; PyYAML's yaml.safe_load, with which upstream Floe reads this file, as the "
            f"text '{token}'); write a number, or quote it as text",
            span,
        )
    return None


def json_ambiguities(text: str) -> list[LoadProblem]:
    """The numbers of a valid JSON text that PyYAML's yaml.safe_load (upstream Floe's loader,
    which floe-lint reads as) does not read as numbers: an exponent without a `.` or a sign
    (`1e3`, `1.5e3`) is text to YAML 1.1. A JSON tool and Floe would read different values."""
    found = []
    for token, span in _json_tokens(text, _EXPONENT):
        if _yaml_tag(token) != "tag:yaml.org,2002:str":
            continue
        value = float(token)
        fix = ""
        if value not in (float("inf"), float("-inf")):
            mantissa, _, exponent = repr(value).partition("e")
            both = mantissa if "." in mantissa else f"{mantissa}.0"
            both += f"e{exponent}" if exponent else ""
            integral = value.is_integer() and abs(value) < 1e16
            fix = f"; write {both}" + (f" (or {int(value)} for an integer)" if integral else "")
        message = (
            f"the JSON number {token} is the number {value!r} to a JSON reader, but the text "
            f"'{token}' to PyYAML's yaml.safe_load, with which upstream Floe (and floe-lint) "
            f"reads this file{fix}"
        )
        found.append(LoadProblem("yaml-syntax", message, span))
    return found


#: what `_json_tokens` looks for outside strings: the constants Python's json module adds to JSON,
#: and numbers with an exponent (a string is matched whole, so nothing inside one counts)
#: and integers longer than Python converts; a number starts only after no digit or `.` (each
#: run of digits is tried once, not from each of its digits: linear on hostile input)
_CONSTANTS = r"-?Infinity|NaN"
_EXPONENT = r"(?<![0-9.])-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+"
_LONG_INT = r"(?<![0-9.])-?[0-9]{4301,}(?![0-9.eE])"  # (MAX_INT_DIGITS + 1: yaml_tree's limit)
_TOO_LONG = "an integer must have at most 4,300 digits"


def _json_tokens(text: str, pattern: str) -> Iterator[tuple[str, Span]]:
    """Each token of the valid (as Python reads it) JSON `text` that `pattern` matches outside
    strings, with its span; nothing is scanned when no such token can be there (most files)."""
    import re

    if re.search(pattern, text) is None:
        return
    string = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # (unrolled: linear, never backtracking)
    for match in re.finditer(f"{string}|({pattern})", text):
        token = match[1]
        if token is not None:
            at = match.start()
            line = text.count("\n", 0, at) + 1
            col = at - text.rfind("\n", 0, at)
            yield token, Span(line, col, line, col + len(token))


def _yaml_tag(token: str) -> str:
    """The tag PyYAML's safe loader resolves a plain scalar `token` to."""
    resolver = yaml.resolver.Resolver()  # (the safe loader's: no path resolvers, no state)
    tag: str = resolver.resolve(yaml.ScalarNode, token, (True, False))  # type: ignore[no-untyped-call]
    return tag


def explain(error: yaml.YAMLError, lines: list[str], text: str) -> tuple[str, Span]:
    """The message and place of a syntax error, in the terms of the mistakes people make.

    libyaml reports where it gave up; for a tab in indentation and for a quote that is never
    closed, the place to look is the tab and the opening quote."""
    mark = getattr(error, "problem_mark", None)
    if mark is not None and 0 <= mark.line < len(lines):
        line = lines[mark.line]
        if line[mark.column : mark.column + 1] == "\t" or "tab" in str(
            getattr(error, "problem", "")
        ):
            start = len(line) - len(line.lstrip(" \t"))
            tabs = line[:start]
            if "\t" in tabs:
                col = tabs.index("\t")
                return (
                    "invalid YAML: a tab in the indentation; YAML forbids tabs there, "
                    "indent with spaces",
                    Span(mark.line + 1, col + 1, mark.line + 1, start + 1),
                )
            if line[mark.column : mark.column + 1] == "\t":
                return (
                    "invalid YAML: a tab where YAML expects a value or a space; "
                    "YAML forbids tabs outside quoted text, use spaces",
                    Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2),
                )
    context = getattr(error, "context", None) or ""
    start_mark = getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", ""))
    unclosed = "end of stream" in problem or "document separator" in problem
    if "quoted scalar" in context and unclosed and start_mark is not None:
        end = "the end of the file"
        if "separator" in problem and mark is not None:
            end = f"the '---' on line {mark.line + 1}"
        quote = '"' if "double" in context else "'"
        if 0 <= start_mark.line < len(lines):
            quote = lines[start_mark.line][start_mark.column : start_mark.column + 1] or quote
        return (
            f"invalid YAML: the quoted value that starts here ({quote}) is never closed; "
            f"the parser reached {end} looking for its closing {quote}",
            Span(
                start_mark.line + 1,
                start_mark.column + 1,
                start_mark.line + 1,
                start_mark.column + 2,
            ),
        )
    return _syntax_message(error), _problem_span(error, text)
