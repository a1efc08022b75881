"""Built-in lint rules: one module per rule, discovered by the engine."""
