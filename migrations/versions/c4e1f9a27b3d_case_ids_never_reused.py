"""cases: ids (and so references like B-000013) are never reused, on SQLite too

Revision ID: c4e1f9a27b3d
Revises: 9e8e4eecb493
Create Date: 2026-12-02 05:15:00

Without AUTOINCREMENT SQLite hands out max(id) + 1, so after the retention purge
deleted the newest case the next case got its id and its reference, which
letters already sent quote. The table is rebuilt with AUTOINCREMENT, which keeps
the highest id ever used in sqlite_sequence (the copy of the rows seeds it).
Ids purged before this migration cannot be recovered. PostgreSQL's SERIAL
sequence never goes back, so nothing changes there.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4e1f9a27b3d'
down_revision = '9e8e4eecb493'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table('cases', schema=None, recreate="always",
                              table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table('cases', schema=None, recreate="always",
                              table_kwargs={"sqlite_autoincrement": False}):
        pass
