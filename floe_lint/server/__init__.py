"""`floe-lint server`: a language server over stdio, a thin adapter over the linter.

Unsaved buffers are in-memory overlays of the workspace (`session`); diagnostics come from
the same engine as `check`; hover, definition and references read the same views as
`explain` (`navigate`); code actions are the fixes findings carry. Only `app` imports pygls
and lsprotocol, and only when the server runs.
"""
