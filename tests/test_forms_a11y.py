"""What a screen reader is told about form fields: invalid only when in error, described by what exists."""
from html.parser import HTMLParser

from tests.conftest import submit


class FormMarkup(HTMLParser):
    """Every element's attributes, the ids on the page, the title, and each label's text by its `for`."""

    def __init__(self, html: str):
        super().__init__()
        self.elements, self.ids, self.labels = [], set(), {}
        self.title, self._in_title, self._label_for = "", False, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        self._in_title = self._in_title or tag == "title"
        if tag == "label" and attrs.get("for"):
            self._label_for = attrs["for"]
            self.labels[self._label_for] = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "label":
            self._label_for = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._label_for:
            self.labels[self._label_for] += data

    def field(self, field_id: str) -> dict:
        """The attributes of the element with this id."""
        return next(attrs for _, attrs in self.elements if attrs.get("id") == field_id)

    def invalid_fields(self) -> set[str]:
        return {attrs.get("id") for _, attrs in self.elements if "aria-invalid" in attrs}


def assert_screen_reader_safe(html: str) -> FormMarkup:
    """No attribute says "None", aria-invalid is only ever "true", every describedby id is on the page."""
    page = FormMarkup(html)
    for tag, attrs in page.elements:
        assert "None" not in attrs.values(), (tag, attrs)
        assert attrs.get("aria-invalid", "true") == "true", (tag, attrs)
        for described_by in (attrs.get("aria-describedby") or "").split():
            assert described_by in page.ids, (tag, attrs)
    return page


def test_blank_register_form_has_no_invalid_field_and_no_none(client, make_event):
    event = make_event()
    page = assert_screen_reader_safe(client.get(f"/events/{event.slug}/register").get_data(as_text=True))
    assert page.invalid_fields() == set()
    assert not page.title.startswith("Error")
    assert page.field("full_name")["aria-describedby"] == "full_name-hint"
    assert "aria-describedby" not in page.field("email")


def test_register_form_with_errors_marks_only_those_fields(client, make_event):
    event = make_event()
    response = submit(client, f"/events/{event.slug}/register", {
        "full_name": "សុខ ចាន់ធី", "email": "sok@example.org", "organisation": "CMWA",
        "stakeholder_group": "ngo", "country": "KH", "data_consent": "y", "needs_visa_letter": "y",
        "nationality": "Cambodian", "passport_number": "N123", "passport_expiry": "2040-01-01",
    })
    page = assert_screen_reader_safe(response.get_data(as_text=True))
    assert page.invalid_fields() == {"name_latin", "date_of_birth"}
    assert page.field("name_latin")["aria-describedby"] == "name_latin-hint name_latin-error"
    assert page.field("date_of_birth")["aria-describedby"] == "date_of_birth-hint date_of_birth-error"
    assert page.title.startswith("Error: Register")


def test_edit_form_from_the_private_link_is_screen_reader_safe(client, make_event, make_registration):
    registration = make_registration(make_event())
    page = assert_screen_reader_safe(client.get(f"/r/{registration.token}/edit").get_data(as_text=True))
    assert page.invalid_fields() == set()


def test_lost_link_page_blank_and_with_an_error(client, make_event):
    event = make_event()
    url = f"/events/{event.slug}/lost-link"
    page = assert_screen_reader_safe(client.get(url).get_data(as_text=True))
    assert page.invalid_fields() == set() and "aria-describedby" not in page.field("email")
    page = assert_screen_reader_safe(submit(client, url, {"email": ""}).get_data(as_text=True))
    assert page.invalid_fields() == {"email"}
    assert page.field("email")["aria-describedby"] == "email-error"
    assert page.title.startswith("Error: ")


def test_login_page_blank_and_with_a_wrong_password(client, auth):
    page = assert_screen_reader_safe(client.get("/auth/login").get_data(as_text=True))
    assert page.invalid_fields() == set() and not page.title.startswith("Error")
    user = auth.user()
    response = submit(client, "/auth/login", {"email": user.email, "password": "not the password"})
    page = assert_screen_reader_safe(response.get_data(as_text=True))
    assert page.invalid_fields() == {"password"}
    assert page.title.startswith("Error: ")


def test_fields_needed_in_some_cases_say_when_instead_of_optional(client, make_event):
    event = make_event()
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    page = assert_screen_reader_safe(html)
    hints = {"name_latin": "Needed if your name is not written in Latin letters.",
             "date_of_birth": "Needed for a visa letter.", "passport_expiry": "Needed for a visa letter."}
    for field_id, hint in hints.items():
        assert "(optional)" not in page.labels[field_id]
        assert f'id="{field_id}-hint">{hint}</p>' in html
        assert page.field(field_id)["aria-describedby"] == f"{field_id}-hint"
        assert "needed_when" not in page.field(field_id)
    assert "(optional)" in page.labels["phone"]


def test_no_form_writes_a_keyword_given_as_none(app):
    from wtforms import StringField

    from events_app.forms import CleanForm

    class Probe(CleanForm):
        name = StringField("Name")

    with app.test_request_context():
        html = str(Probe(meta={"csrf": False}).name(**{"aria-invalid": None, "aria-describedby": None}))
    assert "None" not in html and "aria-invalid" not in html
