"""The PDF renderers are functions of plain records: importing them loads no database, Flask or ORM."""
import json
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "events_app"
RENDERERS = [
    "events_app.documents.records",
    "events_app.documents.fonts",
    "events_app.documents.text",
    "events_app.documents.paragraphs",
    "events_app.documents.badges.render",
    "events_app.documents.badges.tickets",
    "events_app.documents.badges.layouts",
    "events_app.documents.badges.qr",
    "events_app.documents.badges.card",
    "events_app.documents.lists.attendees",
    "events_app.documents.lists.signin",
    "events_app.documents.lists.certificates",
    "events_app.documents.lists.letters",
]
FORBIDDEN = ["flask", "flask_sqlalchemy", "sqlalchemy", "flask_babel"]

# events_app/__init__.py is the app factory, which imports Flask itself: the package is entered
# without it, so what is measured is what the renderer modules pull in, and nothing else.
PROBE = """
import importlib, json, sys, types
package = types.ModuleType("events_app")
package.__path__ = [sys.argv[1]]
sys.modules["events_app"] = package
for name in sys.argv[3:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)))
"""


def test_renderer_modules_import_no_database_nor_flask():
    result = subprocess.run([sys.executable, "-c", PROBE, str(PACKAGE), json.dumps(FORBIDDEN), *RENDERERS],
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_every_module_that_draws_is_checked():
    draws = re.compile(r"^(from|import) (reportlab|segno|uharfbuzz)", re.MULTILINE)
    drawing = {"events_app." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
               for path in (PACKAGE / "documents").rglob("*.py") if draws.search(path.read_text(encoding="utf-8"))}
    assert drawing <= set(RENDERERS)
