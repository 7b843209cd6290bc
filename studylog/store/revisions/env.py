"""Alembic's entry point for studylog's migrations, run by `studylog.store.migrations`.

The caller hands over an open connection (Alembic's config attribute `connection`); each
revision runs in a transaction of its own, so a database is always at one exact revision.
"""

from alembic import context

context.configure(
    connection=context.config.attributes["connection"],
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
