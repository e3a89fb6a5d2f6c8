"""Participants endorse adopted recommendations through their private link: once each, only while it is open."""
from sqlalchemy import func, select

from events_app.choices import Status
from events_app.recommendations import services
from events_app.recommendations.models import Endorsement
from events_app.registration import lifecycle
from tests.conftest import csrf_token, submit
from tests.recommendations.conftest import sign_in


def _open(team, db, is_open: bool = True) -> None:
    services.save_settings(team.event, theme_names=[t.name for t in services.themes(team.event)],
                           addressee_names=[a.name for a in services.addressees(team.event)], preamble="",
                           endorsement_open=is_open)
    db.session.commit()


def _endorse(client, registration, rec, **data):
    """Press "Endorse" on one recommendation (posted even when the page shows no form: a stale page)."""
    payload = {"csrf_token": _token(client), "endorse": "1", **data}
    return client.post(f"/r/{registration.token}/recommendations/{rec.id}", data=payload, follow_redirects=True)


def test_a_delegate_endorses_once_and_only_while_endorsement_is_open(client, team, draft, make_registration, db):
    rec = draft("Insure migrant workers.", status="adopted")
    delegate = make_registration(team.event)
    assert delegate.status == Status.APPROVED
    private = client.get(f"/r/{delegate.token}").get_data(as_text=True)
    assert "Read and endorse the recommendations" not in private  # closed: no link on the private page
    page = client.get(f"/r/{delegate.token}/recommendations").get_data(as_text=True)
    assert "Endorsement is closed" in page and "Insure migrant workers." in page
    assert "Endorse recommendation" not in page
    payload = {"csrf_token": _token(client), "endorse": "1"}
    refused = client.post(f"/r/{delegate.token}/recommendations/{rec.id}", data=payload, follow_redirects=True)
    assert "Endorsement is closed" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Endorsement.id))) == 0

    _open(team, db)
    assert "Read and endorse the recommendations" in client.get(f"/r/{delegate.token}").get_data(as_text=True)
    first = _endorse(client, delegate, rec, list_organisation="y").get_data(as_text=True)
    assert "your endorsement was recorded" in first and "You endorsed this recommendation." in first
    payload = {"csrf_token": _token(client), "endorse": "1"}
    again = client.post(f"/r/{delegate.token}/recommendations/{rec.id}", data=payload, follow_redirects=True)
    assert "You have already endorsed this recommendation." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Endorsement.id))) == 1

    _open(team, db, False)
    assert "Endorsement is closed" in _endorse(client, delegate, rec, comment="Late").get_data(as_text=True)
    assert db.session.scalar(select(Endorsement.comment)) == ""


def _token(client) -> str:
    """This browser session's CSRF token (every form of the session carries the same one)."""
    return csrf_token(client.get("/auth/login").get_data(as_text=True))


def test_drafts_and_other_delegates_cannot_be_endorsed(client, team, draft, make_registration, make_event, db):
    adopted, pending_draft = draft("Adopted one.", status="adopted"), draft("Still a draft.")
    _open(team, db)
    delegate = make_registration(team.event)
    page = client.get(f"/r/{delegate.token}/recommendations").get_data(as_text=True)
    assert "Adopted one." in page and "Still a draft." not in page
    payload = {"csrf_token": _token(client), "endorse": "1"}
    answer = client.post(f"/r/{delegate.token}/recommendations/{pending_draft.id}", data=payload, follow_redirects=True)
    assert "Only the adopted recommendations" in answer.get_data(as_text=True)
    other = make_registration(make_event(title="Other"))
    assert client.post(f"/r/{other.token}/recommendations/{adopted.id}", data=payload).status_code == 404
    cancelled = make_registration(team.event)
    lifecycle.change_status(cancelled, Status.CANCELLED, actor="registrant", notify=False)
    db.session.commit()
    assert "Endorsement is closed" in _endorse(client, cancelled, adopted).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Endorsement.id))) == 0


def test_a_comment_alone_and_the_organisers_counts(client, team, draft, make_registration, db):
    rec = draft("Protect domestic workers.", status="adopted")
    _open(team, db)
    thai = make_registration(team.event, stakeholder_group="trade_union", country="TH", organisation="SERC")
    lao = make_registration(team.event, stakeholder_group="ngo", country="LA", organisation="Lao Women's Group")
    khmer = make_registration(team.event, stakeholder_group="ngo", country="KH", organisation="CMWA")
    _endorse(client, thai, rec, list_organisation="y")
    _endorse(client, lao, rec)
    page = f"/r/{khmer.token}/recommendations"
    submit(client, f"{page}/{rec.id}", {"comment_only": "1", "comment": "Add seafarers."}, page=page)
    sign_in(client, team.organiser)
    counts = client.get(f"/manage/events/{team.event.slug}/recommendations/endorsements").get_data(as_text=True)
    assert "2 endorsements" in counts and "Add seafarers." in counts
    assert "<th scope=\"row\">Trade union</th><td>1</td>" in counts and "<th scope=\"row\">NGO</th><td>1</td>" in counts
    assert "<th scope=\"row\">Thailand</th><td>1</td>" in counts and "Cambodia</th>" not in counts
    from events_app.recommendations.endorsements import endorsing_organisations

    assert endorsing_organisations(team.event) == [("Thailand", "SERC")]  # only with consent
