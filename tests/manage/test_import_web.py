"""Import on the web: upload, a preview of every row with its errors and likely duplicates, then all or none."""
import io
from pathlib import Path

from sqlalchemy import func, select

from events_app.choices import EventRole
from events_app.events import access
from events_app.jobs.runner import work
from events_app.manage import import_views
from events_app.registration.models import Registration
from tests.conftest import csrf_token
from tests.manage.grants import organiser_at

SAMPLE = Path(__file__).parent.parent / "delegate_files" / "data" / "delegates_sample.csv"
HEADER = "full_name,name_latin,email,organisation,stakeholder_group,country,phone\n"



def _upload(client, event, content: bytes, name: str = "delegates.csv"):
    page = client.get(f"/manage/events/{event.slug}/import").get_data(as_text=True)
    return client.post(f"/manage/events/{event.slug}/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(page), "table": (io.BytesIO(content), name)})


def _confirm(client, preview_url: str, **data):
    page = client.get(preview_url).get_data(as_text=True)
    return client.post(preview_url, data={"csrf_token": csrf_token(page), **data})


def _registered(db, event) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == event.id))


def test_the_page_states_the_limits(client, db, auth, make_event):
    event = make_event()
    organiser_at(auth, db, event)
    assert "At most 10 MB and 10,000 rows per file." in client.get(f"/manage/events/{event.slug}/import").get_data(
        as_text=True)


def test_preview_then_confirm_imports_every_row_through_the_importer(client, db, auth, make_event):
    event = make_event()
    organiser_at(auth, db, event)
    uploaded = _upload(client, event, SAMPLE.read_bytes(), "sample.csv")
    preview_url = uploaded.headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "Import preview: sample.csv" in preview and "26 rows checked: 26 new delegates" in preview
    assert "សុខ ចាន់ធី" in preview and "Import 26 delegates" in preview
    assert _registered(db, event) == 0  # a preview writes nothing
    done = _confirm(client, preview_url)
    assert done.status_code == 302
    assert _registered(db, event) == 26
    assert "26 new delegates imported" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert client.get(preview_url, follow_redirects=True).get_data(as_text=True).count("no longer here") == 1


def test_row_errors_are_shown_beside_their_rows_and_nothing_is_imported(client, db, auth, make_event):
    event = make_event()
    organiser_at(auth, db, event)
    table = (HEADER + "Sok Chanthy,,sok@example.org,CMWA,ngo,KH,\n"
             + "Bad Email,,not-an-email,Org,ngo,TH,\n"
             + "Nobody Country,,n@example.org,Org,ngo,ZZ,\n").encode()
    preview_url = _upload(client, event, table).headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "2 problem(s) in 3 rows: nothing can be imported yet." in preview
    third_row = preview.split("<th scope=\"row\">3</th>", 1)[1].split("</tr>", 1)[0]
    assert "Bad Email" in third_row and 'class="error">email:' in third_row
    assert 'class="error">country:' in preview.split("<th scope=\"row\">4</th>", 1)[1].split("</tr>", 1)[0]
    assert "Import 0 delegates" not in preview and "<button type=\"submit\">Import" not in preview
    refused = _confirm(client, preview_url)  # a hand-made post is refused the same way
    assert refused.status_code == 302 and _registered(db, event) == 0


def test_likely_duplicates_of_registered_delegates_are_shown(client, db, auth, make_event, make_registration):
    event = make_event()
    make_registration(event, full_name="Nguyễn Thị Hương", email="huong@example.org", phone="+84901234567")
    organiser_at(auth, db, event)
    table = (HEADER + "Huong Nguyen Thi,,huong.other@example.org,Org,ngo,VN,\n"
             + "Someone Else,,else@example.org,Org,ngo,VN,+84901234567\n"
             + "Maria Santos,,maria@example.org,Org,ngo,TH,\n").encode()
    preview = client.get(_upload(client, event, table).headers["Location"]).get_data(as_text=True)
    assert "2 rows may be people already registered" in preview
    for row in ("2", "3"):
        cells = preview.split(f'<th scope="row">{row}</th>', 1)[1].split("</tr>", 1)[0]
        assert "May be the same person as" in cells and "Nguyễn Thị Hương" in cells
    assert "May be the same person" not in preview.split('<th scope="row">4</th>', 1)[1].split("</tr>", 1)[0]


def test_too_many_rows_or_bytes_are_refused_with_the_limit(app, client, db, auth, make_event, monkeypatch):
    event = make_event()
    organiser_at(auth, db, event)
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    table = (HEADER + "".join(f"D {n},,d{n}@example.org,Org,ngo,TH,\n" for n in range(3))).encode()
    page = client.get(_upload(client, event, table).headers["Location"], follow_redirects=True).get_data(
        as_text=True)
    assert "has more than 2 rows; at most 2 can be imported at once" in page
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    html = _upload(client, event, table).get_data(as_text=True)
    assert "at most 100 bytes can be imported at once" in html and _registered(db, event) == 0


def test_an_upload_is_found_only_for_its_own_event(client, db, auth, make_event):
    event, other = make_event(), make_event()
    organiser_at(auth, db, event)
    access.grant(auth.user("organiser"), other, EventRole.ORGANISER)
    db.session.commit()
    token = _upload(client, event, SAMPLE.read_bytes()).headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/manage/events/{other.slug}/import/{token}", follow_redirects=True).get_data(as_text=True)
    assert "no longer here" in page
    guessed = client.get(f"/manage/events/{event.slug}/import/*", follow_redirects=True).get_data(as_text=True)
    assert "no longer here" in guessed  # not a token: no glob, no file


def test_a_large_import_runs_as_a_job_with_its_progress_page(client, db, auth, make_event, monkeypatch):
    monkeypatch.setattr(import_views, "IN_REQUEST_ROWS", 5)
    event = make_event()
    organiser_at(auth, db, event)
    preview_url = _upload(client, event, SAMPLE.read_bytes()).headers["Location"]
    queued = _confirm(client, preview_url)
    job_url = queued.headers["Location"]
    assert "/jobs/" in job_url and _registered(db, event) == 0
    waiting = client.get(job_url).get_data(as_text=True)
    assert "Importing delegates" in waiting and '<progress id="job-progress" max="52" value="0">' in waiting
    assert work() == 1
    done = client.get(job_url).get_data(as_text=True)
    assert "Done." in done and "26 new delegates imported" in done
    assert _registered(db, event) == 26
