"""Schema 2: quiz cards with their FSRS state, the review log, topics and settings."""

import sqlalchemy as sa
from alembic import op

from studylog.store.revisions.steps import set_user_version

revision = "0002"
down_revision = "0001"

# The queue asks for due cards by state; carried-over plans look up open tasks by text on
# every entry saved; (re)learning cards are found without walking the new ones, which
# share state 1.
_INDEXES = (
    ("ix_card_state_due", "card", ["state", "due"]),
    ("ix_task_open_text", "task", ["done", "text"]),
    ("ix_card_new", "card", ["reps", "entry_id"]),
    ("ix_card_learning", "card", ["state", "reps", "due"]),
    ("ix_review_card_time", "review", ["card_id", "reviewed_at"]),
    # Covering indexes for the stats: each pass over a large review log is one ordered
    # index walk with no row look-ups (benchmarks/bench_stats_export.py).
    ("ix_review_time_duration", "review", ["reviewed_at", "duration_ms"]),
    ("ix_review_firsts", "review", ["state_before", "card_id", "reviewed_at", "rating"]),
)


def upgrade() -> None:
    """Create the card, review, topic and setting tables and their indexes."""
    op.create_table(
        "entry_topic",
        sa.Column(
            "entry_id",
            sa.Integer(),
            sa.ForeignKey("entry.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("topic", sa.String(), primary_key=True),
    )
    op.create_index("ix_entry_topic_topic", "entry_topic", ["topic"])
    op.create_table(
        "card",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("entry.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("topics", sa.String(), nullable=False),
        sa.Column("spec", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer()),
        sa.Column("stability", sa.Float()),
        sa.Column("difficulty", sa.Float()),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True)),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
    )
    op.create_index("ix_card_due", "card", ["due"])
    op.create_index("ix_card_entry_id", "card", ["entry_id"])
    op.create_index("ix_card_key", "card", ["key"], unique=True)
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "card_id",
            sa.Integer(),
            sa.ForeignKey("card.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean()),
        sa.Column("answer", sa.String()),
        sa.Column("duration_ms", sa.Integer()),
        # A variant's seed is any 64-bit integer: SQLite's INTEGER holds one, and
        # PostgreSQL needs BIGINT.
        sa.Column("seed", sa.BigInteger().with_variant(sa.Integer(), "sqlite")),
        sa.Column("retrievability", sa.Float()),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("was_new", sa.Boolean(), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
    )
    op.create_index("ix_review_card_id", "review", ["card_id"])
    op.create_index("ix_review_reviewed_at", "review", ["reviewed_at"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
    )
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)
    # Calibration groups reviews by their predicted-recall bin; the expression is the
    # stats' own (studylog.store.stats), per engine.
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE INDEX ix_review_recall ON review "
            "(min(CAST(retrievability * 10 AS INTEGER), 9), retrievability, rating)"
        )
    else:
        op.create_index("ix_review_recall", "review", ["retrievability", "rating"])
    set_user_version(2)
