"""Loading: discover files, read them boundedly, parse YAML with spans, check schemas."""
