"""The schema version this studylog writes, apart from the migrations so that reading with
plain sqlite3 (`reader`) need not import SQLAlchemy or Alembic.

Version N is the Alembic revision "000N" (`studylog.store.revisions.versions`); on SQLite
`PRAGMA user_version` holds it too. A test checks that the newest revision is this one.
"""

SCHEMA_VERSION = 5
