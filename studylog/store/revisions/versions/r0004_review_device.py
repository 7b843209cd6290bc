"""Schema 4: the device that recorded a review, so `undo` takes back only its own."""

from studylog.store.revisions.steps import add_column_if_missing, set_user_version

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    """Add `review.device`."""
    add_column_if_missing("review", "device", "VARCHAR")
    set_user_version(4)
