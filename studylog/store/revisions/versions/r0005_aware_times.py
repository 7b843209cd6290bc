"""Schema 5: every instant on SQLite carries its offset, as timestamptz does on PostgreSQL.

Earlier releases wrote UTC text without an offset ('2022-01-24 10:00:00.000000'); each
such value gains '+00:00'. PostgreSQL databases were timestamptz from schema 1.
"""

from alembic import op

from studylog.store.revisions.steps import set_user_version

revision = "0005"
down_revision = "0004"

INSTANTS = {
    "entry": ("created_at", "updated_at"),
    "entry_revision": ("replaced_at",),
    "task": ("done_at", "created_at"),
    "card": ("created_at", "due", "last_review"),
    "review": ("reviewed_at",),
}


def upgrade() -> None:
    """Add the UTC offset to every SQLite instant that lacks one."""
    if op.get_context().dialect.name != "sqlite":
        return
    for table, columns in INSTANTS.items():
        for column in columns:
            # SQLAlchemy wrote 26 characters ('.ffffff' included); text written by hand may
            # lack the fraction. Both end up 32 characters long, so text order stays time
            # order.
            for length, suffix in ((26, "+00:00"), (19, ".000000+00:00")):
                op.execute(
                    f"UPDATE {table} SET {column} = {column} || '{suffix}' "
                    f"WHERE length({column}) = {length}"
                )
    set_user_version(5)
