"""Schema 3: the later entry whose lectures closed a plan item (`task.closed_by`)."""

from studylog.store.revisions.steps import add_column_if_missing, set_user_version

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    """Add `task.closed_by`."""
    add_column_if_missing("task", "closed_by", "INTEGER REFERENCES entry (id) ON DELETE SET NULL")
    set_user_version(3)
