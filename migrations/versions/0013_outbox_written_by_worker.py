"""The outbox holds messages not yet written: subject and bodies may be NULL, and a JSON context.

A message queued from a request records what to send (kind, registration, event, language, and in
`context` what must stay as it was: the status it announces, a reason, changed fields, days, an
organisers' message); the mail worker writes subject and bodies just before sending and stores them.
Rows already in the outbox are written, so they stay valid as they are (context NULL).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=True)
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=True)
        batch_op.alter_column('body_html', existing_type=sa.Text(), nullable=True)


def downgrade():
    # A message not yet written cannot be kept without its context: such rows are failed with blank text.
    outbox = sa.table('outbox', sa.column('subject', sa.String), sa.column('body_text', sa.Text),
                      sa.column('body_html', sa.Text), sa.column('status', sa.String),
                      sa.column('last_error', sa.Text))
    op.execute(outbox.update().where(outbox.c.body_text.is_(None))
               .values(subject=sa.func.coalesce(outbox.c.subject, ''), body_text='', body_html='',
                       status='failed', last_error='not written before the downgrade to 0012'))
    op.execute(outbox.update().where(outbox.c.body_html.is_(None)).values(body_html=''))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('body_html', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column('context')
