"""engine state in a table of its own; indexes for case lists and the dashboard

Revision ID: a1d1b5605844
Revises: 3a5a0e2cfdca
Create Date: 2026-12-01 06:33:40

Lists, filters and counts read many case rows and never the engine state
(10-50 KB each). In the cases row, SQLite kept the state's first few KB on the
row's page and the rest in overflow pages, so each case a list touched cost at
least a page of its own and any column stored after the state cost the whole
overflow chain. The state moves to ``case_states`` (one row per case); the
cases table is rebuilt without it on SQLite (migrations run with SQLite's
foreign keys off, see env.py, so the rebuild cannot cascade into tasks or the
audit record) and loses the two columns on PostgreSQL.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1d1b5605844'
down_revision = '3a5a0e2cfdca'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_states',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('state_format', sa.String(length=40), nullable=False),
        sa.Column('state', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id'),
    )
    op.execute("INSERT INTO case_states (case_id, state_format, state) SELECT id, state_format, state FROM cases")
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('state')
        batch_op.drop_column('state_format')
        batch_op.create_index('ix_cases_updated', ['updated_at', 'id'], unique=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_status_element', ['status', 'element_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_status_element')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_updated')
        batch_op.add_column(sa.Column('state_format', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('state', sa.Text(), nullable=False, server_default=''))
    op.execute("UPDATE cases SET state = (SELECT state FROM case_states WHERE case_id = cases.id), "
               "state_format = (SELECT state_format FROM case_states WHERE case_id = cases.id)")
    op.drop_table('case_states')
