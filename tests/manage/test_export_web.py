"""Export on the web: the list's filter or the ticked delegates, chosen columns, CSV and XLSX, formula-safe."""
import csv
import io
import re

from openpyxl import load_workbook

from events_app.choices import EventRole
from events_app.delegate_files.exporting import export_columns
from events_app.events import access
from events_app.jobs.runner import work
from events_app.manage import export_views
from tests.conftest import csrf_token
from tests.manage.grants import organiser_at


def _export(client, event, data: dict, query: str = ""):
    page = client.get(f"/manage/events/{event.slug}/export?{query}").get_data(as_text=True)
    filter_value = page.split('name="filter"', 1)[1].split('value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    payload = {"csrf_token": csrf_token(page), "filter": filter_value, "download": "Export", **data}
    return client.post(f"/manage/events/{event.slug}/export", data=payload)


def test_the_page_offers_every_column_in_dictionary_order_all_ticked(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event)
    organiser_at(auth, db, event)
    html = client.get(f"/manage/events/{event.slug}/export?country=TH").get_data(as_text=True)
    assert "The 1 delegates the list's filter matches." in html
    boxes = re.findall(r'<input ([^>]*name="columns"[^>]*)>', html)
    assert [re.search(r'value="([^"]+)"', box).group(1) for box in boxes] == export_columns(event)
    assert all("checked" in box for box in boxes) and "passport_number" not in html


def test_csv_of_the_filter_with_chosen_columns_is_formula_safe(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="=HYPERLINK(\"http://evil\")", country="KH", phone="+66812345678")
    make_registration(event, full_name="Somchai", country="TH")
    organiser_at(auth, db, event)
    response = _export(client, event, {"fmt": "csv", "columns": ["full_name", "phone", "status"]}, "country=KH")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["full_name", "phone", "status"], ["'=HYPERLINK(\"http://evil\")", "+66812345678", "approved"]]


def test_xlsx_of_the_ticked_delegates(client, db, auth, make_event, make_registration):
    event = make_event()
    ticked = [make_registration(event, full_name=name) for name in ("សុខ ចាន់ធី", "Aung", "Li")]
    organiser_at(auth, db, event)
    page = client.get(f"/manage/events/{event.slug}/").get_data(as_text=True)
    chosen = client.post(f"/manage/events/{event.slug}/export", data={
        "csrf_token": csrf_token(page), "ids": [ticked[0].id, ticked[2].id], "scope": "ticked", "action": "approve"})
    assert "The 2 delegates you ticked." in chosen.get_data(as_text=True)
    response = _export(client, event, {"fmt": "xlsx", "columns": ["full_name", "email"],
                                       "ids": [ticked[0].id, ticked[2].id]})
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["full_name", "email"], ["Li", ticked[2].email], ["សុខ ចាន់ធី", ticked[0].email]]


def test_no_column_ticked_says_so_beside_the_columns(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event)
    organiser_at(auth, db, event)
    html = _export(client, event, {"fmt": "csv"}).get_data(as_text=True)
    assert 'id="columns-error">Tick at least one column.' in html


def test_a_large_xlsx_is_written_by_a_job_and_downloaded_from_its_page(client, db, auth, make_event,
                                                                       make_registration, monkeypatch):
    monkeypatch.setattr(export_views, "XLSX_IN_REQUEST_ROWS", 1)
    event = make_event()
    for _ in range(3):
        make_registration(event)
    organiser_at(auth, db, event)
    queued = _export(client, event, {"fmt": "xlsx", "columns": ["full_name"]})
    job_page = queued.headers["Location"]
    waiting = client.get(job_page)
    assert waiting.headers["Refresh"] == "2" and "<progress" in waiting.get_data(as_text=True)
    assert work() == 1
    done = client.get(job_page).get_data(as_text=True)
    assert "Done." in done and "3 delegates exported." in done and "Download" in done
    download = client.get(job_page + "/file")
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert sheet.max_row == 4


def test_another_events_organiser_finds_no_export(client, db, make_event, make_registration):
    from events_app.auth.services import create_user
    from events_app.choices import UserRole
    from events_app.events import access
    from tests.conftest import submit

    event, other = make_event(), make_event()
    make_registration(event)
    # Not the suite's standard organiser, who holds the role at every event the factory makes.
    user = create_user("only-other@test.example", password="a long password 1", role=UserRole.ORGANISER)
    access.grant(user, other, "organiser")
    db.session.commit()
    assert submit(client, "/auth/login", {"email": user.email, "password": "a long password 1"}).status_code == 302
    assert client.get(f"/manage/events/{other.slug}/export").status_code == 200
    assert client.get(f"/manage/events/{event.slug}/export").status_code == 404


def test_the_csv_download_takes_the_same_statements_for_20_or_200_delegates(client, db, auth, make_event):
    from tests.manage.test_delegate_list import _register_many, statements_run

    user = auth.login("organiser")

    def statements(size: int) -> int:
        event = make_event()
        _register_many(db, event, size, start=size * 10)
        access.grant(user, event, EventRole.ORGANISER)
        db.session.commit()
        page = client.get(f"/manage/events/{event.slug}/export").get_data(as_text=True)
        payload = {"csrf_token": csrf_token(page), "filter": "", "download": "Export", "fmt": "csv",
                   "columns": export_columns(event)}
        with statements_run(db) as seen:
            response = client.post(f"/manage/events/{event.slug}/export", data=payload)
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert response.status_code == 200 and len(rows) == size + 1 and rows[0] == export_columns(event)
        return len(seen)

    assert statements(20) == statements(200)
