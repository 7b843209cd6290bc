"""Application services: the only way the CLI and the TUI reach the database."""
