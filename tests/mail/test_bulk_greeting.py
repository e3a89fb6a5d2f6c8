"""The bulk message: a greeting reads right with and without an honorific, and the form has real buttons."""
import re

import pytest

from events_app.mail.bulk import fill
from tests.mail.test_views import compose


@pytest.mark.parametrize(("honorific", "greeting"), [
    ("", "Dear សុខ ដារ៉ា,"),
    ("Dr.", "Dear Dr. សុខ ដារ៉ា,"),
])
def test_the_greeting_has_single_spaces_with_or_without_an_honorific(db, client, auth, symposium,
                                                                     make_registration, honorific, greeting):
    make_registration(symposium, full_name="សុខ ដារ៉ា", honorific=honorific)
    auth.login("organiser")
    html = compose(client, symposium.slug, subject="Hello {honorific} {full_name}",
                   body="Dear {honorific} {full_name},\n\nSee you in Bangkok.", preview="1").get_data(as_text=True)
    assert greeting in html
    assert f"Hello {greeting.removeprefix('Dear ').rstrip(',')}" in html


@pytest.mark.parametrize(("template", "filled"), [
    ("Dear {honorific},", "Dear,"),
    ("{honorific} {full_name}", "Sok Dara"),
    ("Dear {full_name} {honorific}.", "Dear Sok Dara."),
    ("{honorific}\n{full_name}", "\nSok Dara"),  # line breaks are the organiser's own
    ("Dear {unknown} {full_name}", "Dear {unknown} Sok Dara"),  # not ours: left as typed
])
def test_an_empty_placeholder_takes_its_spare_space_with_it(symposium, make_registration, template, filled):
    registration = make_registration(symposium, full_name="Sok Dara", honorific="")
    assert fill(template, registration) == filled


def test_preview_and_send_are_the_workspaces_buttons(db, client, auth, symposium, make_registration):
    make_registration(symposium)
    auth.login("organiser")
    html = compose(client, symposium.slug, subject="Hi", body="Hello", preview="1").get_data(as_text=True)
    assert re.search(r'<button type="submit" name="preview" value="1" class="secondary">Preview</button>', html)
    assert re.search(r'<button type="submit" name="send" value="1">Send to 1 delegates</button>', html)
    assert 'type="submit"' in html and '<input id="preview"' not in html
