"""Fixes: the edits rules attach to findings, and the one fixer that applies them to bytes.

A rule states a fix as minimal text edits at the spans of the nodes it reports (`edits`);
`apply` splices them into the file's text without re-serialising anything, so comments,
quoting and layout outside the edited spans stay byte for byte; `runner` repeats
check-and-apply until nothing more is fixable, and `diff` shows the result without writing.
"""
