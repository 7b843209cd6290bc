"""studylog's migrations: Alembic's environment (`env.py`), the frozen revisions, and helpers."""
