"""a case's contact details, recorded once and used by every letter (issues #21, #18)

Revision ID: l7c2e9a4b1d6
Revises: a7c3e9f1b2d4
Create Date: 2026-12-02 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'l7c2e9a4b1d6'
down_revision = 'a7c3e9f1b2d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_contact_details',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('postal_address', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('preferred_channel', sa.String(length=20), nullable=True),
    sa.Column('adjustments', sa.Text(), nullable=True),
    sa.Column('language_needs', sa.Text(), nullable=True),
    sa.Column('updated_by', sa.String(length=80), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_contact_details_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_contact_details'))
    )


def downgrade():
    op.drop_table('case_contact_details')
