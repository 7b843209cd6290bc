"""Storage: SQLModel tables in SQLite, opened with migrations applied."""
