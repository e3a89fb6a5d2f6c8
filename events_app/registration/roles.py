"""Participant roles (speaker, rapporteur, press, ...): set by organisers, printed on the badge."""
from events_app.audit import services as audit
from events_app.choices import ParticipantRole
from events_app.extensions import db


def set_participant_role(registrations, role: ParticipantRole | str, *, by_user) -> list:
    """Give these registrations the role; returns those that changed, each written to the audit log.

    The badge's colour band and label follow the role (the badge renderer reads it), so a badge
    printed before the change is worth reprinting.
    """
    role = ParticipantRole(role)
    changed = []
    for registration in registrations:
        before = registration.participant_role
        if before == role:
            continue
        registration.participant_role = role
        audit.record("delegate.role", user=by_user, registration=registration,
                     summary=f"{before.label} → {role.label}", changes={"participant_role": (before, role)})
        changed.append(registration)
    db.session.flush()
    return changed
