"""A YAML or JSON syntax error explained: the message and place, in the terms of the mistakes
people make (a tab in the indentation, a quote never closed), kept inside the file's lines."""

from __future__ import annotations

import yaml

from floe_lint.findings import FILE_START, Span
from floe_lint.load.problems import LoadProblem


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
    the problem that makes `text` invalid JSON, if any."""
    import json

    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        span = Span(error.lineno, error.colno, error.lineno, error.colno + 1)
        return LoadProblem("yaml-syntax", f"invalid JSON: {error.msg}", span)
    except RecursionError:
        return LoadProblem("yaml-syntax", "document is nested too deeply", FILE_START)
    return None


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
