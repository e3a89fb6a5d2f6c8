"""Each registration keeps its languages' CSV cell: "km en" for a list of two-letter codes, kept by a trigger.

registrations.languages_text is the list of codes space-joined, as the CSV export writes it, when
registrations.languages is the JSON text of a list of up to 7 two-letter codes as json.dumps writes it
(["km", "en"]); "" for an empty list; NULL for anything else, which the export then reads item by item.
The export read the JSON text of every row with a CASE on its length and a pattern (~7 ms of SQLite's
~50 ms statement at 10,000 rows). A trigger sets it on every INSERT and on every UPDATE of languages
(PostgreSQL: BEFORE, on the new row; SQLite: AFTER, one UPDATE of that row). Existing rows are filled in
the upgrade. The expression is frozen here (a list of more codes than it knows is NULL: still right).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

MOST_CODES = 7


def codes_text(text: str, postgresql: bool) -> str:
    """SQL: the space-joined codes of `text` (a JSON list's text) when it is a list of two-letter codes, else NULL."""
    whens = [f"WHEN 2 THEN CASE WHEN {text} = '[]' THEN '' END"]
    for n in range(1, MOST_CODES + 1):
        if postgresql:  # json holds valid JSON only: without a backslash each "__" is a text of two characters
            match = f"""{text} LIKE '["__"{', "__"' * (n - 1)}]' AND strpos({text}, '\\') = 0"""
        else:  # SQLite keeps any text: two lower-case letters each
            match = f"""{text} GLOB '[[]"[a-z][a-z]"{', "[a-z][a-z]"' * (n - 1)}]'"""
        codes = f"substr({text}, 3, 2)" if n == 1 else f"""replace(substr({text}, 3, {6 * n - 4}), '", "', ' ')"""
        whens.append(f"WHEN {6 * n} THEN CASE WHEN {match} THEN {codes} END")
    return f"(CASE length({text}) {' '.join(whens)} END)"


PG_FUNCTION = """
CREATE FUNCTION registrations_languages_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.languages_text := {codes};
    RETURN NEW;
END
$$;
CREATE TRIGGER registrations_languages_text BEFORE INSERT OR UPDATE OF languages ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_languages_text();
""".format(codes=codes_text("CAST(NEW.languages AS TEXT)", True))
SQLITE_SET = "UPDATE registrations SET languages_text = {codes} WHERE id = NEW.id;".format(
    codes=codes_text("NEW.languages", False))
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER registrations_languages_text_insert AFTER INSERT ON registrations BEGIN {SQLITE_SET} END",
    f"CREATE TRIGGER registrations_languages_text_update AFTER UPDATE OF languages ON registrations"
    f" BEGIN {SQLITE_SET} END",
]


def upgrade():
    op.add_column('registrations', sa.Column('languages_text', sa.String(length=64), nullable=True))
    postgresql = op.get_bind().dialect.name == "postgresql"
    text = "CAST(languages AS TEXT)" if postgresql else "languages"
    op.execute(f"UPDATE registrations SET languages_text = {codes_text(text, postgresql)}")
    if postgresql:
        op.execute(PG_FUNCTION)
        return
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER registrations_languages_text ON registrations")
        op.execute("DROP FUNCTION registrations_languages_text()")
        op.drop_column('registrations', 'languages_text')
        return
    op.execute("DROP TRIGGER registrations_languages_text_update")
    op.execute("DROP TRIGGER registrations_languages_text_insert")
    op.execute("ALTER TABLE registrations DROP COLUMN languages_text")
