"""The bare registration baseline: Flask + Flask-SQLAlchemy, one table, one INSERT from a form POST.

GET / returns a tiny form (so the load generator runs the same GET-then-POST flow as for the app);
POST /register inserts one row and answers 302. No CSRF, no validation, no lock, no outbox.
Served by bench/bench_registration.py under gunicorn: `gunicorn bare_app:app` with DATABASE_URL set.
"""
import os

from flask import Flask, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
url = os.environ["DATABASE_URL"]
if url.startswith("postgresql://"):
    url = "postgresql+psycopg://" + url[len("postgresql://"):]
app.config["SQLALCHEMY_DATABASE_URI"] = url
db = SQLAlchemy(app)


class Row(db.Model):
    __tablename__ = "bare_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))


@app.get("/")
def form():
    return ('<form method="post" action="/register"><input name="csrf_token" value="x">'
            '<input name="submission_key" value="x"></form>')


@app.post("/register")
def register():
    f = request.form
    db.session.add(Row(full_name=f["full_name"], email=f["email"], organisation=f["organisation"]))
    db.session.commit()
    return redirect("/done")


def create_tables() -> None:
    with app.app_context():
        db.create_all()
