"""Positions noted by the parse (`document.parse(..., positions=True)`, floe_lint.load.positions)
place every node exactly where a compose of the file places it, the parse gives the same data
and problems with them as without, and they cross the parse workers intact."""

from __future__ import annotations

from array import array
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from floe_lint.load import bulk
from floe_lint.load.document import parse
from floe_lint.load.positions import may_record
from floe_lint.load.spans import FileSpans

KEYS = st.sampled_from(
    ["a", "b", "compute", "1", "'1'", "true", "True", "x/y", "t~n", "~", "1.0", "? [p, q]", "é"]
)
SCALARS = st.sampled_from(
    ["duckdb", "1", "2.5", "null", "'q'", '"d"', "yes", "~", "", "!!str 3", "!custom z", "'a''b'"]
)


@st.composite
def block(draw: st.DrawFn, depth: int = 0, indent: str = "") -> list[str]:
    """Lines of a block mapping: nested mappings and lists, flow collections, block scalars,
    tags, comments, repeated and colliding keys (`1` and `'1'` name the same pointer)."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(KEYS)
        kind = draw(st.sampled_from(["scalar", "map", "seq", "items", "flow", "text", "set"]))
        if kind == "scalar" or depth >= 3:
            lines.append(f"{indent}{key}: {draw(SCALARS)}  # note")
        elif kind == "map":
            lines.append(f"{indent}{key}:")
            lines += draw(block(depth + 1, indent + "  "))
        elif kind == "seq":
            lines.append(f"{indent}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{indent}  - {draw(SCALARS)}")
        elif kind == "items":  # a list of mappings, as transforms are written
            lines.append(f"{indent}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                inner = draw(block(depth + 1, indent + "    "))
                lines += [f"{indent}  - {inner[0].lstrip()}", *inner[1:]]
        elif kind == "flow":
            items = ", ".join(draw(st.lists(SCALARS.filter(bool), max_size=3)))
            lines.append(f"{indent}{key}: {{k: [{items}], m: {draw(SCALARS)}}}")
        elif kind == "text":
            style = draw(st.sampled_from(["|", ">", "|-"]))
            lines += [f"{indent}{key}: {style}", f"{indent}  one", f"{indent}  two", ""]
        else:
            lines.append(f"{indent}{key}: !!set {{p, q}}")
    return lines


@st.composite
def files(draw: st.DrawFn) -> str:
    """One or two documents, sometimes with an alias or a merge key (never recorded)."""
    docs = []
    for _ in range(draw(st.integers(1, 2))):
        head = draw(
            st.sampled_from(
                [[], ["base: &m {a: 1}", "c: *m"], ["<<: {a: 1}"], ["base: &m {a: 1}"], ["t: *"]]
            )
        )
        docs.append("\n".join(head + draw(block())))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join("\n---\n".join(docs).split("\n")) + newline


def _pointers(every: dict[str, object]) -> list[str]:
    extra = ["/nowhere", "/a/nowhere/0", "/a/0", "/a/00", "/a/-1", "a", "/a/", "//", "/1/x"]
    return [*every, *extra, *(p + "/0" for p in every), *(p + "/zz" for p in every)]


@settings(max_examples=400, deadline=None)
@given(text=files())
@example(text="1: duckdb\n'1':\n  a: duckdb\n")  # two keys name the pointer /1
@example(text="a: !!set {p, q}\n")
@example(text="a: |\n  one\n\nb: [1, {c: 2}]\n")  # a block scalar ends on the next line
@example(text="!!merge m: {a: 1}\nb: [x, {c: ''}]\n")  # a key tagged as a merge key: no table
@example(text="a: !custom\nb: !!str\nc: [!!int 1x, '', !!binary x]\n")  # scalars read otherwise
def test_positions_place_every_node_where_a_compose_of_the_file_does(text: str) -> None:
    raw = text.encode()
    plain = parse(Path("f.yaml"), raw)
    source = parse(Path("f.yaml"), raw, positions=True)
    # the same file either way
    assert [(d.index, d.data, d.kind) for d in source.documents] == [
        (d.index, d.data, d.kind) for d in plain.documents
    ]
    assert source.problems == plain.problems
    full = FileSpans(source.text)
    lines = source.text.splitlines()
    lines_only = parse(Path("f.yaml"), raw, positions=True)
    for doc, line in zip(source.documents, lines_only.documents, strict=True):
        every = full.of(doc.index)
        table = doc.located.tables.get(doc.index) if doc.located is not None else None
        for pointer in _pointers(every):
            assert doc.node_spans(pointer) == every.get(pointer), (pointer, text)
            # the line alone, read from the record without a span (`impact`'s transforms), in
            # a parse of its own that looked nothing up before (`span` takes pointers alone)
            if pointer.startswith("/"):
                want = doc.span(pointer).start_line
                assert line.start_line(pointer) == want, (pointer, text)
            if table is not None:  # answered by the table itself, not the compose behind it
                answer = table.lookup(pointer, lines)
                # False (it cannot say) only for two keys of one pointer, or a `!!set`
                if answer is False:
                    assert "'1'" in text or "!!set" in text, (pointer, text)
                else:
                    assert answer == every.get(pointer), (pointer, text)
        duplicate = any(p.rule == "duplicate-key" for p in source.problems)
        if may_record(source.text) and not duplicate and "!" not in source.text:
            assert table is not None, text


def test_a_product_is_placed_from_its_table_without_composing_it() -> None:
    text = (
        "name: orders\nplatform: {ref: manifest.yaml}\ntransforms:\n"
        "  - {type: dbt, path: models/a/, compute: snowflake}\n"
        "  - type: dbt\n    path: models/b/\n    compute: spark\n"
    )
    source = parse(Path("floe.yaml"), text.encode(), positions=True)
    doc = source.documents[0]
    assert doc.span("/transforms/1/compute").start_line == 7
    assert doc.span("/transforms/1/compute").start_col == 14
    assert doc.span("/transforms/0/compute", "key").start_col == 34
    assert doc.span("/transforms/1").start_line == 5
    located = doc.located
    assert located is not None and located.tables
    assert located._tree is None and not located._composed  # nothing composed again


def test_data_that_is_not_what_was_recorded_is_placed_by_a_compose() -> None:
    text = "a: [1, 2]\nb: {c: 3}\n"
    source = parse(Path("f.yaml"), text.encode(), positions=True)
    doc = source.documents[0]
    table = doc.located.tables[0] if doc.located is not None else None
    assert table is not None
    table.data = {"a": [1, 2, 3], "b": {"c": 3}}  # not the data the record was written with
    assert table.lookup("/a/1", text.splitlines()) is False
    assert doc.span("/a/1").start_col == 8  # the compose behind it
    again = parse(Path("f.yaml"), text.encode(), positions=True).documents[0].located
    assert again is not None
    again.tables[0].data = {"b": {"c": 3}, "a": [1, 2]}  # the keys in another order
    assert again.tables[0].lookup("/b/c", text.splitlines()) is False


def test_positions_cross_the_parse_workers(tmp_path: Path) -> None:
    paths = []
    for number in range(40):
        path = tmp_path / f"f{number}.yaml"
        path.write_text(f"name: p{number}\ntransforms:\n  - {{compute: c{number}}}\n" * 1)
        paths.append(path)
    forked = bulk.load_all(paths, 2, positions=True)
    alone = bulk.load_all(paths, 1, positions=True)
    plain = bulk.load_all(paths, 2)
    for a, b, c in zip(forked, alone, plain, strict=True):
        assert [(d.data, d.kind) for d in a.documents] == [(d.data, d.kind) for d in c.documents]
        assert a.documents[0].located is not None and a.documents[0].located.tables
        assert c.documents[0].located is not None and not c.documents[0].located.tables
        assert a.documents[0].span("/transforms/0/compute") == b.documents[0].span(
            "/transforms/0/compute"
        )


def test_a_long_line_is_recorded_in_32_bits() -> None:
    long = "x" * 40_000
    text = f"a: {long}\nb: [1, {{c: {long}}}]\n"
    source = parse(Path("f.yaml"), text.encode(), positions=True)
    doc = source.documents[0]
    located = doc.located
    assert located is not None and located.tables[0].raw[:1] == b"i"
    full = FileSpans(text).of(0)
    for pointer in full:
        assert located.tables[0].lookup(pointer, text.splitlines()) == full[pointer]
    assert doc.span("/a").end_col == 40_004
    assert (doc.span("/b/1/c").start_col, doc.span("/b/1/c").end_col) == (12, 40_012)
    short = parse(Path("f.yaml"), b"a: 1\n", positions=True).documents[0].located
    assert short is not None and short.tables[0].raw[:1] == b"h"


def test_a_scalar_is_recorded_with_its_marks_in_one_step() -> None:
    """Each node's record is nine integers; a collection's ninth is where its subtree's record
    ends, a scalar's is 0 (its record alone: no second write per node)."""
    text = "a: x\nb: [1, {c: y}]\n"
    source = parse(Path("f.yaml"), text.encode(), positions=True)
    table = source.documents[0].located.tables[0]  # type: ignore[union-attr]
    record = array("h", table.raw[1:]).tolist()
    nodes = [record[at : at + 9] for at in range(0, len(record), 9)]
    # the root, a: x, b: [...], 1, {c: y}, c: y
    assert [node[8] for node in nodes] == [54, 0, 54, 0, 54, 0]
    assert nodes[2][:8] == [1, 3, 1, 14, 1, 0, 1, 1]  # b's value and its key


def _written_before(text: str) -> bytes:
    """The record as `array(...).tobytes()` wrote it, 16-bit when the record's length, the
    number of lines and every line's length plus one stay below 2**15 (before the struct
    packing and the text's length taken for the lines' when shorter)."""
    from floe_lint.load.positions import Recorder
    from floe_lint.load.yaml_tree import compose_all

    lines = text.splitlines()
    (root,) = compose_all(text)
    recorder = Recorder(lines, [])
    start, end = root.start_mark, root.end_mark
    recorder.noted(root, (start.line, start.column, end.line, end.column, -1, 0, 0, 0, 0))
    record = recorder.record
    small = max(len(record), len(lines) + 1, max(map(len, lines), default=0) + 1) < 1 << 15
    return b"h" + array("h", record).tobytes() if small else b"i" + array("i", record).tobytes()


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(32_740, 32_790),  # around 2**15 characters: the text's length decides
    lines=st.integers(1, 4),
    newline=st.sampled_from(["\n", "\r\n"]),
)
@example(width=32_765, lines=1, newline="\n")  # one line of 32,766 characters with its key
@example(width=32_766, lines=1, newline="\n")  # a line of 2**15 - 1: 32-bit, as before
def test_the_record_is_written_as_before_around_the_16_bit_limit(
    width: int, lines: int, newline: str
) -> None:
    """A text shorter than 2**15 - 1 characters is written in 16 bits without measuring its
    lines; a longer one measures them: the bytes are those the array wrote, either way."""
    body = "x" * max(1, width // lines - 8)
    text = newline.join(f"k{i}: {body}" for i in range(lines)) + newline
    source = parse(Path("f.yaml"), text.encode(), positions=True)
    located = source.documents[0].located
    assert located is not None
    assert located.tables[0].raw == _written_before(text)
    assert source.documents[0].span(f"/k{lines - 1}").end_col == len(body) + 4 + len(str(lines - 1))
