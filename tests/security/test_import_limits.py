"""Hostile tables: XML entities, too large, too many rows: one line from the CLI, a message on the web."""
import io
import time
import zipfile

from openpyxl import Workbook
from sqlalchemy import func, select

from events_app.registration.models import Registration
from tests.conftest import csrf_token
from tests.manage.grants import organiser_at

HEADER = "full_name,email,organisation,stakeholder_group,country\n"
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
                            for n in range(1, 10))
                  + "]>")
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def hostile_xlsx(prolog: str, entity: str) -> bytes:
    """A real workbook whose first sheet declares entities and uses one in a cell."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["Placeholder", "a@example.org", "Org", "ngo", "TH"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.split("?>", 1)[1] if text.startswith("<?xml") else text
                assert "<t>Placeholder</t>" in text
                text = text.replace('<c r="A2" t="inlineStr"><is><t>Placeholder</t></is></c>',
                                    f'<c r="A2" t="inlineStr"><is><t>{entity}</t></is></c>')
                data = (prolog + text).encode()
            target.writestr(item, data)
    return out.getvalue()


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["delegates", "import", *map(str, args)])


def registered(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration))


def test_an_xlsx_with_xml_entities_is_refused_in_one_line(app, db, make_event, tmp_path):
    event = make_event()
    for name, prolog, entity in (("laughs.xlsx", BILLION_LAUGHS, "&lol9;"), ("xxe.xlsx", EXTERNAL, "&xxe;")):
        path = tmp_path / name
        path.write_bytes(hostile_xlsx(prolog, entity))
        result = invoke(app, event.slug, path, "--dry-run")
        assert result.exit_code == 1
        assert result.stderr.strip() == (f"Error: {path} holds XML entity declarations, which are refused for "
                                         "safety: save it again as XLSX or CSV")
        assert "Traceback" not in result.output and "root:" not in result.stderr
    assert registered(db) == 0


def test_the_web_import_says_so_too(client, db, auth, make_event):
    event = make_event()
    organiser_at(auth, db, event)
    page = client.get(f"/manage/events/{event.slug}/import").get_data(as_text=True)
    response = client.post(f"/manage/events/{event.slug}/import", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(page),
                                 "table": (io.BytesIO(hostile_xlsx(BILLION_LAUGHS, "&lol9;")), "laughs.xlsx")})
    html = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "laughs.xlsx holds XML entity declarations, which are refused for safety" in html
    assert registered(db) == 0


def test_a_67_mb_csv_is_refused_by_its_size_at_once(app, db, make_event, tmp_path):
    event = make_event()
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write(HEADER.encode())
        row = b"Delegate,d@example.org,Org,ngo,TH\n"
        out.write(row * (67 * 1024 * 1024 // len(row)))
    started = time.perf_counter()
    result = invoke(app, event.slug, path, "--dry-run")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1 and elapsed < 1.0, elapsed
    assert result.stderr.strip() == f"Error: {path} is 67.0 MB; at most 10.0 MB can be imported at once: split the file"


def test_rows_beyond_the_cap_are_refused_before_any_is_checked(app, db, make_event, tmp_path, monkeypatch):
    event = make_event()
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 5)
    path = tmp_path / "many.csv"
    path.write_text(HEADER + "".join(f"D {n},d{n}@example.org,Org,ngo,TH\n" for n in range(6)), encoding="utf-8")
    result = invoke(app, event.slug, path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"Error: {path} has more than 5 rows; at most 5 can be imported at once: "
                                     "split the file")
    path.write_text(HEADER + "".join(f"D {n},d{n}@example.org,Org,ngo,TH\n" for n in range(5)) + ",,,,\n" * 50,
                    encoding="utf-8")
    assert invoke(app, event.slug, path).exit_code == 0, "blank rows do not count"
    assert registered(db) == 5


def test_a_request_larger_than_max_content_length_gets_the_friendly_413(app, client, db, auth, make_event,
                                                                        monkeypatch):
    event = make_event()
    organiser_at(auth, db, event)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    page = client.get(f"/manage/events/{event.slug}/import").get_data(as_text=True)
    response = client.post(f"/manage/events/{event.slug}/import", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(page), "table": (io.BytesIO(b"x" * 5000), "big.csv")})
    assert response.status_code == 413
    assert "That file is too large. Please send a smaller one." in response.get_data(as_text=True)
