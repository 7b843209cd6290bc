"""The schema version this studylog writes (`PRAGMA user_version`), apart from the
migrations so that reading with plain sqlite3 (`reader`) need not import SQLAlchemy."""

# One more with every step added to `migrations.STEPS`, which checks that they agree.
SCHEMA_VERSION = 4
