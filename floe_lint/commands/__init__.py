"""One module per subcommand: arguments in, exit code out."""
