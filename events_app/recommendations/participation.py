"""The delegate's side: the adopted recommendations through their private link, to endorse or comment on.

On a blueprint of its own under /r (beside the registration's /r/TOKEN pages, which do not import
recommendations). Approved delegates only, and only while the organisers keep endorsement open.
"""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import Optional

from events_app.extensions import db
from events_app.forms import CleanForm
from events_app.recommendations import endorsements, services
from events_app.recommendations.services import RecommendationError
from events_app.registration.field_messages import at_most
from events_app.registration.services import by_token

bp = Blueprint("endorsement", __name__)


class EndorseForm(CleanForm):
    """A participant's endorsement of (or comment on) one adopted recommendation.

    Here rather than in forms.py (the organisers' forms, in English) so that its labels are in the
    participants' catalogues.
    """

    comment = TextAreaField(_l("Comment"), validators=[Optional(), at_most(2000)], render_kw={"rows": 2})
    list_organisation = BooleanField(_l("Name my organisation among those endorsing, in the published document"))
    endorse = SubmitField(_l("Endorse"))
    comment_only = SubmitField(_l("Send comment only"))


def _registration(token: str):
    return by_token(token) or abort(404)


@bp.after_request
def _no_referrer(response):
    # As on the registration's private pages: the link must not leak through the Referer header.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<token>/recommendations")
def recommendations_page(token: str):
    """The adopted recommendations, numbered as in the document, each with its endorse form."""
    registration = _registration(token)
    event = registration.event
    return render_template(
        "recommendations/endorse.html", registration=registration, event=event,
        open=endorsements.may_endorse(registration), numbered=services.numbered(event),
        responses=endorsements.responses_of(registration), form=EndorseForm(),
        preamble=services.settings_for(event).preamble,
    )


@bp.route("/<token>/recommendations/<int:rec_id>", methods=["POST"])
def endorse(token: str, rec_id: int):
    """Endorse one recommendation (once), or comment on it."""
    registration = _registration(token)
    rec = services.recommendation_of(registration.event, rec_id) or abort(404)
    form = EndorseForm()
    if not form.validate_on_submit():
        flash(_("This form has expired. Please try again."), "error")
    else:
        try:
            endorsements.endorse(registration, rec, endorses=bool(form.endorse.data), comment=form.comment.data,
                                 list_organisation=form.list_organisation.data)
        except RecommendationError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Thank you: your endorsement was recorded.") if form.endorse.data
                  else _("Thank you: your comment was recorded."), "success")
    return redirect(url_for(".recommendations_page", token=token, _anchor=f"rec-{rec.id}"), code=303)

