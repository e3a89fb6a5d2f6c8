"""Backups restore every row with passports still readable; key rotation keeps them readable (both databases)."""
import pytest
from sqlalchemy import select, text

from events_app.registration.models import Registration


@pytest.fixture()
def keys(app):
    """Change SECRET_KEY and SECRET_KEY_FALLBACKS for one test; restored afterwards."""
    saved = app.config["SECRET_KEY"], list(app.config.get("SECRET_KEY_FALLBACKS") or [])

    def use(secret: str, *fallbacks: str) -> None:
        app.config.update(SECRET_KEY=secret, SECRET_KEY_FALLBACKS=list(fallbacks))

    yield use
    app.config.update(SECRET_KEY=saved[0], SECRET_KEY_FALLBACKS=saved[1])


def _visa_delegate(event, make_registration, **fields):
    return make_registration(event, needs_visa_letter=True, nationality="Lao", passport_number="P0012345",
                             date_of_birth="1980-05-05", passport_expiry="2031-05-05", **fields)


def _stored_passport(db, registration_id):
    """The passport number as the database holds it (ciphertext), not as the model decrypts it."""
    value = db.session.scalar(text("SELECT passport_number FROM registrations WHERE id = :id"),
                              {"id": registration_id})
    db.session.rollback()
    return value


def _passport(db, registration_id):
    db.session.expire_all()
    return db.session.scalar(select(Registration.passport_number).where(Registration.id == registration_id))


def test_a_backup_restores_deleted_delegates_with_their_passports_readable(app, db, make_event, make_registration,
                                                                           tmp_path):
    event = make_event()
    kept = _visa_delegate(event, make_registration, full_name="Sok Dara")
    runner = app.test_cli_runner()

    made = runner.invoke(args=["backup", "create", "-o", str(tmp_path / "symposium.backup")])
    assert made.exit_code == 0, made.output
    assert "4 encrypted values" in made.output
    db.session.delete(db.session.get(Registration, kept.id))
    db.session.add(make_event(slug="made-after-the-backup"))
    db.session.commit()

    restored = runner.invoke(args=["backup", "restore", str(tmp_path / "symposium.backup"), "--yes"])

    assert restored.exit_code == 0, restored.output
    assert "4 of 4 encrypted values readable" in restored.output
    registration = db.session.get(Registration, kept.id)
    assert registration is not None and registration.full_name == "Sok Dara"
    assert _passport(db, kept.id) == "P0012345"
    assert db.session.scalar(text("SELECT count(*) FROM events WHERE slug = 'made-after-the-backup'")) == 0
    db.session.rollback()


def test_a_backup_restored_without_its_key_says_how_many_values_cannot_be_read(app, db, make_event,
                                                                               make_registration, tmp_path, keys):
    _visa_delegate(make_event(), make_registration)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "create", "-o", str(tmp_path / "b")]).exit_code == 0
    keys("a-new-key-nobody-told-the-backup-about")

    restored = runner.invoke(args=["backup", "restore", str(tmp_path / "b"), "--yes"])

    assert restored.exit_code == 1
    assert "0 of 4 encrypted values readable" in restored.output
    assert "4 encrypted values cannot be read: set SECRET_KEY" in restored.output


def test_restore_refuses_a_file_that_is_not_a_backup_in_one_line(app, db, tmp_path):
    (tmp_path / "notes.txt").write_text("not a database")

    result = app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "notes.txt"), "--yes"])

    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "is not a" in result.output and "Traceback" not in result.output


def test_rotating_the_key_re_encrypts_every_passport_under_the_new_key(app, db, make_event, make_registration,
                                                                      keys):
    delegate = _visa_delegate(make_event(), make_registration)
    old_cipher = _stored_passport(db, delegate.id)
    keys("the-new-key", app.config["SECRET_KEY"])  # the old key kept as a fallback while rotating
    assert _passport(db, delegate.id) == "P0012345", "readable through the fallback"

    rotated = app.test_cli_runner().invoke(args=["keys", "rotate"])

    assert rotated.exit_code == 0, rotated.output
    assert "Re-encrypted 4 of 4 values" in rotated.output
    assert _stored_passport(db, delegate.id) != old_cipher
    keys("the-new-key")  # the old key is gone now
    assert _passport(db, delegate.id) == "P0012345"
    check = app.test_cli_runner().invoke(args=["backup", "check"])
    assert check.exit_code == 0 and "4 of 4 encrypted values readable" in check.output


def test_rotation_leaves_values_no_key_can_read_and_says_so(app, db, make_event, make_registration, keys):
    delegate = _visa_delegate(make_event(), make_registration)
    keys("yet-another-key")  # the old key lost: nothing can read the values

    rotated = app.test_cli_runner().invoke(args=["keys", "rotate"])

    assert rotated.exit_code == 1
    assert "4 values could not be read" in rotated.output
    assert _stored_passport(db, delegate.id) is not None, "left as they are, not erased"
