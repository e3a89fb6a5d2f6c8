"""Drafting and adoption in /manage: who may write where, versions, merge, split, order and numbers."""
from sqlalchemy import func, select

from events_app.auth.services import create_user
from events_app.choices import EventRole, UserRole
from events_app.events import access
from events_app.recommendations import services
from events_app.recommendations.models import Recommendation, RecommendationStatus
from tests.conftest import PASSWORD, submit
from tests.recommendations.conftest import sign_in


def _form(team, text: str, **extra) -> dict:
    return {"theme_id": team.theme("Health"), "addressee_ids": [team.addressee("ASEAN"), team.addressee("Employers")],
            "source": "Working group 2", "text": text, **extra}


def test_a_rapporteur_drafts_from_the_form_with_a_khmer_translation(client, team, db):
    sign_in(client, team.rapporteur)
    url = f"/manage/events/{team.event.slug}/recommendations/new"
    page = client.get(url).get_data(as_text=True)
    assert "Working group or session" in page and "Khmer (ខ្មែរ)" in page  # the translation fields, in a <details>
    response = submit(client, url, _form(team, "Extend health insurance to migrant workers.",
                                         text_km="ពង្រីកការធានារ៉ាប់រងសុខភាព"), follow_redirects=True)
    assert "Draft saved" in response.get_data(as_text=True)
    rec = db.session.scalar(select(Recommendation))
    assert rec.status == RecommendationStatus.DRAFT and rec.translations == {"km": "ពង្រីកការធានារ៉ាប់រងសុខភាព"}
    assert [a.name for a in rec.addressees] == ["ASEAN", "Employers"] and rec.source == "Working group 2"
    assert rec.versions[0].by_user_id == team.rapporteur.id


def test_a_recommendation_without_text_or_addressee_is_refused_beside_the_field(client, team, db):
    sign_in(client, team.rapporteur)
    url = f"/manage/events/{team.event.slug}/recommendations/new"
    page = submit(client, url, _form(team, "Some text", addressee_ids=[])).get_data(as_text=True)
    assert 'id="addressee_ids-error"' in page and "Choose at least one addressee." in page
    assert db.session.scalar(select(func.count(Recommendation.id))) == 0


def test_rapporteurs_of_one_event_cannot_write_in_another(client, team, make_event, db):
    other = make_event(title="Another Consultation")
    services.save_settings(other, theme_names=["Health"], addressee_names=["ASEAN"], preamble="",
                           endorsement_open=False)
    db.session.commit()
    theirs = services.draft(other, by=None, theme_id=services.themes(other)[0].id,
                            addressee_ids=[services.addressees(other)[0].id], text="Theirs.")
    db.session.commit()
    sign_in(client, team.rapporteur)
    base = f"/manage/events/{other.slug}/recommendations"
    assert client.get(base).status_code == 404
    assert client.get(base + "/new").status_code == 404
    own_page = f"/manage/events/{team.event.slug}/recommendations/new"
    html = client.get(own_page).get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    payload = {"csrf_token": token, "theme_id": services.themes(other)[0].id,
               "addressee_ids": [services.addressees(other)[0].id], "text": "Written in the wrong event."}
    assert client.post(base + "/new", data=payload).status_code == 404
    assert client.post(f"{base}/{theirs.id}", data={**payload, "text": "Changed."}).status_code == 404
    # Nor through their own event's URLs with the other event's theme, addressees or recommendation.
    page = client.post(own_page, data=payload).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert client.get(f"/manage/events/{team.event.slug}/recommendations/{theirs.id}").status_code == 404
    assert db.session.scalar(select(func.count(Recommendation.id))) == 1
    assert db.session.get(Recommendation, theirs.id).text == "Theirs."


def test_only_organisers_adopt_and_rapporteurs_edit_drafts_only(client, team, draft, db):
    rec = draft("Provide health care in migrants' languages.")
    sign_in(client, team.second_rapporteur)
    index = f"/manage/events/{team.event.slug}/recommendations"
    status_url = f"{index}/{rec.id}/status"
    assert submit(client, status_url, {"status": "adopted"}, page=index).status_code == 403
    response = submit(client, f"{index}/{rec.id}", _form(team, "Provide health care in migrants' own languages."))
    assert response.status_code == 303  # a rapporteur may improve a draft
    sign_in(client, team.organiser)
    assert submit(client, status_url, {"status": "adopted"}, page=index).status_code == 303
    db.session.expire_all()
    assert rec.status == RecommendationStatus.ADOPTED
    sign_in(client, team.second_rapporteur)
    changed = submit(client, f"{index}/{rec.id}", _form(team, "Changed after adoption."), page=index)
    assert changed.status_code == 403
    assert rec.text == "Provide health care in migrants' own languages."


def test_every_version_is_kept_with_who_and_what(client, team, draft, db):
    rec = draft("First wording.")
    services.edit(rec, by=team.second_rapporteur, theme_id=rec.theme_id, addressee_ids=[a.id for a in rec.addressees],
                  text="Second wording.")
    services.set_status(rec, "adopted", by=team.organiser)
    db.session.commit()
    assert [(v.version, v.change, v.text, v.by_user_id) for v in rec.versions] == [
        (1, "drafted", "First wording.", team.rapporteur.id),
        (2, "edited", "Second wording.", team.second_rapporteur.id),
        (3, "adopted", "Second wording.", team.organiser.id),
    ]
    sign_in(client, team.organiser)
    page = client.get(f"/manage/events/{team.event.slug}/recommendations/{rec.id}").get_data(as_text=True)
    assert "First wording." in page and "linh@test.example" in page and "Version 3: adopted" in page


def test_history_survives_a_merge(client, team, draft, db):
    one = draft("Ratify ILO Convention 189.", theme="Labour migration governance", to=("Governments of countries "
                                                                                      "of origin",))
    two = draft("Protect domestic workers by law.", theme="Labour migration governance", to=("ASEAN",))
    services.edit(one, by=team.organiser, theme_id=one.theme_id, addressee_ids=[a.id for a in one.addressees],
                  text="Ratify and implement ILO Convention No. 189.")
    db.session.commit()
    sign_in(client, team.organiser)
    index = f"/manage/events/{team.event.slug}/recommendations"
    response = submit(client, f"{index}/merge", {"ids": [one.id, two.id]}, page=index)
    merged = db.session.scalar(select(Recommendation).where(Recommendation.id.not_in([one.id, two.id])))
    assert response.headers["Location"].endswith(f"{index}/{merged.id}")
    db.session.expire_all()
    assert [o.id for o in merged.origins] == [one.id, two.id]
    assert merged.text == "Ratify and implement ILO Convention No. 189. Protect domestic workers by law."
    assert {a.name for a in merged.addressees} == {"Governments of countries of origin", "ASEAN"}
    assert one.status == two.status == RecommendationStatus.MERGED
    assert [v.text for v in one.versions] == ["Ratify ILO Convention 189.", "Ratify and implement ILO Convention No. "
                                              "189.", "Ratify and implement ILO Convention No. 189."]
    assert one.versions[-1].change == f"merged into #{merged.id}"
    page = client.get(f"{index}/{merged.id}").get_data(as_text=True)
    assert f"merged from #{one.id}, #{two.id}" in page and f'href="{index}/{one.id}"' in page
    old = client.get(f"{index}/{one.id}").get_data(as_text=True)
    # The original's page: its whole history, and what it became.
    assert "Ratify ILO Convention 189." in old and f"#{merged.id}" in old
    assert "Ratify ILO Convention 189." not in client.get(index).get_data(as_text=True)  # no longer on the table


def test_split_makes_linked_drafts_in_the_originals_place(client, team, draft, db):
    draft("Before.", status="adopted")
    whole = draft("Insure migrants. Train health workers.", status="adopted")
    draft("After.", status="adopted")
    sign_in(client, team.organiser)
    url = f"/manage/events/{team.event.slug}/recommendations/{whole.id}/split"
    assert submit(client, url, {"parts": "Insure migrants.\r\n\r\nTrain health workers."}).status_code == 303
    db.session.expire_all()
    assert whole.status == RecommendationStatus.SPLIT
    parts = whole.successors
    assert [p.text for p in parts] == ["Insure migrants.", "Train health workers."]
    assert all(p.origins == [whole] and p.status == RecommendationStatus.DRAFT for p in parts)
    for p in parts:
        services.set_status(p, "adopted", by=team.organiser)
    db.session.commit()
    assert [r.text for _, r in services.numbered(team.event)] == ["Before.", "Insure migrants.",
                                                                  "Train health workers.", "After."]

def test_moving_changes_the_numbers(client, team, draft, db):
    draft("First.", status="adopted")
    second = draft("Second.", status="adopted")
    sign_in(client, team.organiser)
    index = f"/manage/events/{team.event.slug}/recommendations"
    assert submit(client, f"{index}/{second.id}/move", {"direction": "up"}, page=index).status_code == 303
    assert [(n, r.text) for n, r in services.numbered(team.event)] == [(1, "Second."), (2, "First.")]
    page = client.get(index).get_data(as_text=True)
    assert page.index("Second.") < page.index("First.") and "No. 1" in page


def test_staff_print_the_document_but_do_not_draft_and_admins_work_everywhere(client, team, draft, db):
    rec = draft("Some text.")
    admin = create_user("root@test.example", password=PASSWORD, role=UserRole.ADMIN)
    staff = create_user("desk@test.example", password=PASSWORD, role=UserRole.STAFF)
    access.grant(staff, team.event, EventRole.STAFF)
    db.session.commit()
    base = f"/manage/events/{team.event.slug}/recommendations"
    sign_in(client, staff)
    assert client.get(base).status_code == 403
    assert client.get(f"{base}/{rec.id}").status_code == 403
    assert client.get(f"{base}.pdf").status_code == 200
    sign_in(client, admin)
    assert "Some text." in client.get(base).get_data(as_text=True)
