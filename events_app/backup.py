"""Backups and key rotation: `flask backup create|restore|check` and `flask keys rotate`.

SQLite is copied with its online backup API (a consistent copy while the app keeps serving);
PostgreSQL with pg_dump's custom format and pg_restore. Passport details are encrypted with a key
derived from SECRET_KEY, so a backup is only as readable as the key kept with it: `backup check`
counts the values the current keys cannot read, and `keys rotate` re-encrypts every value with
SECRET_KEY after a change (the old key listed in SECRET_KEY_FALLBACKS meanwhile).
"""
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import click
from cryptography.fernet import InvalidToken
from flask.cli import AppGroup
from sqlalchemy import String, column, select, table, text, update

from events_app.extensions import db
from events_app.models import EncryptedString, field_cipher

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
BATCH = 500


class BackupError(click.ClickException):
    """A backup or restore that cannot go on: one line on stderr and a non-zero exit."""


def _url():
    return db.engine.url


def _libpq_url(url) -> str:
    """pg_dump and pg_restore speak libpq: drop SQLAlchemy's driver suffix (postgresql+psycopg)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install Debian's postgresql-client")
    return found


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("this SQLite database lives in memory: there is nothing to back up")
    return Path(url.database)


def create_backup(destination: Path) -> str:
    """Write a consistent copy of the whole database to `destination` (atomically); say what was written."""
    url = _url()
    partial = destination.with_name(destination.name + ".part")
    try:
        if url.get_backend_name() == "sqlite":
            with sqlite3.connect(_sqlite_path(url)) as source, sqlite3.connect(partial) as copy:
                source.backup(copy)
            copy.close()
            kind = "SQLite online backup"
        else:
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={partial}", _libpq_url(url)])
            kind = "pg_dump (custom format)"
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return f"{kind}: {destination} ({destination.stat().st_size:,} bytes)"


def restore_backup(source: Path) -> str:
    """Replace the database's contents with a backup made by create_backup (same kind of database)."""
    url = _url()
    magic = _magic(source)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold a lock the restore needs
    if url.get_backend_name() == "sqlite":
        if not magic.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup: restore it into the kind of database it came from")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite's integrity check failed): nothing was restored")
            with sqlite3.connect(_sqlite_path(url)) as live:
                backup.backup(live)
            live.close()
        backup.close()
    else:
        if not magic.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump backup: restore it into the kind of database it came from")
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={_libpq_url(url)}", str(source)])
    revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.rollback()
    return f"restored {source} (schema revision {revision}; run `flask db upgrade` if the app is newer)"


def _magic(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(16)
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from error


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # pg tools print the connection string in some errors: keep only the first line, without it
        first = (result.stderr.strip().splitlines() or ["failed"])[0]
        raise BackupError(f"{Path(command[0]).name}: {first.split('postgresql://')[0].strip()}")


@dataclass
class KeyReport:
    """Encrypted values seen, re-encrypted under SECRET_KEY, and unreadable with every configured key."""

    values: int = 0
    rotated: int = 0
    unreadable: int = 0


def _encrypted_columns():
    """(table name, primary key column, [encrypted column names]) for every model with encrypted text."""
    for mapped in db.metadata.sorted_tables:
        names = [c.name for c in mapped.columns if isinstance(c.type, EncryptedString)]
        if names:
            yield mapped.name, mapped.primary_key.columns.values()[0].name, names


def rewrap_keys(*, write: bool) -> KeyReport:
    """Read every encrypted value as stored; with `write`, re-encrypt each readable one under SECRET_KEY."""
    cipher, report = field_cipher(), KeyReport()
    for table_name, key, names in _encrypted_columns():
        raw = table(table_name, column(key), *(column(name, String) for name in names))
        last = None
        while True:  # in key order, a batch at a time, so a large table never sits in memory
            query = select(raw).order_by(raw.c[key]).limit(BATCH)
            if last is not None:
                query = query.where(raw.c[key] > last)
            rows = db.session.execute(query).all()
            if not rows:
                break
            for row in rows:
                last = row[0]
                changed = {}
                for name, token in zip(names, row[1:], strict=True):
                    if token is None:
                        continue
                    report.values += 1
                    try:
                        changed[name] = cipher.rotate(token.encode("ascii")).decode("ascii")
                    except InvalidToken:
                        report.unreadable += 1
                if write and changed:
                    db.session.execute(update(raw).where(raw.c[key] == last).values(**changed))
                    report.rotated += len(changed)
    return report


backup_cli = AppGroup("backup", help="Back up and restore the whole database.")
keys_cli = AppGroup("keys", help="The key that encrypts passport details.")


@backup_cli.command("create")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The backup file to write.")
def backup_create(output: Path):
    """Copy the whole database into one file, consistently, while the app keeps running."""
    click.echo(create_backup(output))
    report = rewrap_keys(write=False)
    click.echo(f"{report.values} encrypted values: keep this backup with the SECRET_KEY that reads them")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the database's contents.")
def backup_restore(source: Path, yes: bool):
    """Replace everything in the database with the contents of a backup."""
    if not yes:
        click.confirm(f"Replace everything in {_url().render_as_string()} with {source}?", abort=True)
    click.echo(restore_backup(source))
    _report_keys(rewrap_keys(write=False))


@backup_cli.command("check")
def backup_check():
    """Count the encrypted values the current SECRET_KEY (and fallbacks) can and cannot read."""
    _report_keys(rewrap_keys(write=False))


@keys_cli.command("rotate")
def keys_rotate():
    """Re-encrypt every passport detail under SECRET_KEY (old keys in SECRET_KEY_FALLBACKS)."""
    report = rewrap_keys(write=True)
    db.session.commit()
    click.echo(f"Re-encrypted {report.rotated} of {report.values} values under SECRET_KEY.")
    if report.unreadable:
        raise click.ClickException(f"{report.unreadable} values could not be read with SECRET_KEY or "
                                   "SECRET_KEY_FALLBACKS and were left as they are")


def _report_keys(report: KeyReport) -> None:
    readable = report.values - report.unreadable
    click.echo(f"{readable} of {report.values} encrypted values readable with the configured keys")
    if report.unreadable:
        raise click.ClickException(f"{report.unreadable} encrypted values cannot be read: set SECRET_KEY "
                                   "(or SECRET_KEY_FALLBACKS) to the key in use when they were written")

