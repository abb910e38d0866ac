"""cases: index on last change for lists; on SQLite the engine state moves to the end of the row;
tasks: index for the dashboard's count per element

Revision ID: a1d1b5605844
Revises: 3a5a0e2cfdca
Create Date: 2026-12-01 06:33:40

SQLite stores a row's first few KB on its b-tree page and the rest in a chain of
overflow pages; any column after a 10-50 KB engine state can only be read by
walking that chain. Lists filter and sort on created_at/updated_at, which sat
after ``state``, so every row they looked at cost the whole state. The table is
rebuilt with ``state_format, state`` last (migrations run with SQLite's foreign
keys off, see env.py, so the rebuild cannot cascade into tasks or the audit).
PostgreSQL keeps large values out of line (TOAST), so column order does not
matter there and nothing is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1d1b5605844'
down_revision = '3a5a0e2cfdca'
branch_labels = None
depends_on = None

ORDER = ("id", "process_version_id", "status", "stage", "outcome", "service_user_name", "service_user_reference",
         "matter_reference", "created_by", "created_at", "updated_at", "closed_at", "next_timer_at", "version",
         "state_format", "state")


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('cases', schema=None, recreate="always" if sqlite else "auto",
                              partial_reordering=[ORDER] if sqlite else None) as batch_op:
        batch_op.create_index('ix_cases_updated', ['updated_at', 'id'], unique=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_status_element', ['status', 'element_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_status_element')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_updated')
