"""Schema 1: the journal (entries, their earlier revisions, lectures, tasks) and its search.

SQLite searches with an FTS5 trigram index kept by triggers; PostgreSQL with a pg_trgm GIN
index. Trigrams make any substring of three or more characters findable, which Korean
needs: words carry particles (파이토치는, 파이토치를) that a word tokenizer would not split.
"""

import sqlalchemy as sa
from alembic import op

from studylog.store.revisions.steps import set_user_version

revision = "0001"
down_revision = None

_FTS_TRIGGERS = (
    "CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN "
    "INSERT INTO entry_fts(rowid, markdown) VALUES (new.id, new.markdown); END",
    "CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN "
    "INSERT INTO entry_fts(entry_fts, rowid, markdown) "
    "VALUES ('delete', old.id, old.markdown); END",
    "CREATE TRIGGER entry_fts_update AFTER UPDATE OF markdown ON entry BEGIN "
    "INSERT INTO entry_fts(entry_fts, rowid, markdown) "
    "VALUES ('delete', old.id, old.markdown); "
    "INSERT INTO entry_fts(rowid, markdown) VALUES (new.id, new.markdown); END",
)


def _part_of_an_entry() -> tuple[sa.Column[int], sa.Column[int]]:
    """The id and the owning entry of a row that goes when its entry goes."""
    return (
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "entry_id", sa.Integer(), sa.ForeignKey("entry.id", ondelete="CASCADE"), nullable=False
        ),
    )


def upgrade() -> None:
    """Create the journal tables and the search index."""
    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String()),
        sa.Column("markdown", sa.String(), nullable=False),
        sa.Column("source", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_entry_day", "entry", ["day"], unique=True)
    op.create_table(
        "entry_revision",
        *_part_of_an_entry(),
        sa.Column("markdown", sa.String(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_entry_revision_entry_id", "entry_revision", ["entry_id"])
    op.create_table(
        "lecture",
        *_part_of_an_entry(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
    )
    op.create_index("ix_lecture_entry_id", "lecture", ["entry_id"])
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("entry.id", ondelete="SET NULL")),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True)),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_task_entry_id", "task", ["entry_id"])
    op.create_index("ix_task_due", "task", ["due"])
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE entry_fts USING fts5("
            "markdown, content='entry', content_rowid='id', tokenize='trigram')"
        )
        for trigger in _FTS_TRIGGERS:
            op.execute(trigger)
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_entry_markdown_trgm ON entry USING gin (markdown gin_trgm_ops)")
    set_user_version(1)
