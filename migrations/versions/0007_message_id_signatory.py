"""Each outbox message's own Message-ID; the visa letters' signatory organisation and signature image.

Messages already in the outbox keep the Message-ID the sender gave them until now
(<outbox-ID@sender-domain>), so a message being retried is still recognised as the same one.
Existing events get no signatory organisation and no signature: releasing their letters waits
until the organisers complete the signatory.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 07:36:25.002802

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _sender_domain() -> str:
    """The domain of MAIL_DEFAULT_SENDER, as the sender spelled it in the Message-IDs of the old rows."""
    address = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    domain = address.rpartition("@")[2].strip(" >") or "localhost"
    return "".join(char for char in domain if char.isalnum() or char in ".-") or "localhost"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatory_organisation', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('signature_image', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('signature_content_type', sa.String(length=32), nullable=False,
                                      server_default=''))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=320), nullable=True))
    outbox = sa.table('outbox', sa.column('id', sa.Integer), sa.column('message_id', sa.String))
    op.execute(outbox.update().values(message_id=sa.literal('<outbox-') + sa.cast(outbox.c.id, sa.String)
                                      + sa.literal(f'@{_sender_domain()}>')))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.String(length=320), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_message_id'), ['message_id'])


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outbox_message_id'), type_='unique')
        batch_op.drop_column('message_id')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('signature_content_type')
        batch_op.drop_column('signature_image')
        batch_op.drop_column('signatory_organisation')
