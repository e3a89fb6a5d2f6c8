"""The recommendations document: numbered in order, adopted ones only, every script shaped; PDF, Markdown, DOCX."""
import io
import re
import subprocess

import docx
import pytest
from sqlalchemy import func, select

from events_app.demo import PAST_SLUG
from events_app.documents.records import EventInfo
from events_app.recommendations.document import render_recommendations
from events_app.recommendations.models import Recommendation, RecommendationStatus, Theme
from events_app.recommendations.records import (
    AddresseeGroup,
    CountryOrganisations,
    NumberedRecommendation,
    RecommendationsDocument,
    ThemeSection,
    Wording,
)
from tests.documents.conftest import need, nfc, run
from tests.recommendations.conftest import sign_in

KHMER = "ផ្តល់ការធានារ៉ាប់រងសុខភាពដល់ពលករចំណាកស្រុក"


@pytest.fixture()
def cli(app, db):
    return app.test_cli_runner()


@pytest.fixture()
def meeting(team, draft, make_registration, db):
    """Adopted recommendations over two themes (written out of order), a draft and a rejected one."""
    draft("Give migrants health insurance.", theme="Health", to=("Governments of countries of destination",),
          status="adopted", source="Working group 2", translations={"km": KHMER})
    draft("Ratify ILO Convention No. 189.", theme="Labour migration governance", to=("ASEAN",), status="adopted")
    draft("Train health workers in migrants' languages.", theme="Health", to=("Employers",), status="adopted")
    draft("Abolish recruitment fees.", theme="Labour migration governance",
          to=("Governments of countries of origin",), status="adopted")
    draft("A draft nobody adopted.", theme="Health")
    draft("A rejected proposal.", theme="Health", status="rejected")
    make_registration(team.event, organisation="Mekong Migration Network", country="TH", list_publicly=True)
    make_registration(team.event, organisation="Hidden Organisation", country="KH", list_publicly=False)
    return team.event


ORDER = ["1. Abolish recruitment fees.", "2. Ratify ILO Convention No. 189.", "3. Give migrants health insurance.",
         "4. Train health workers in migrants' languages."]


def _text(path) -> str:
    need("pdftotext")
    return nfc(run("pdftotext", str(path), "-"))


def test_the_pdf_holds_every_adopted_recommendation_in_order_and_no_other(cli, meeting, tmp_path):
    out = tmp_path / "recommendations.pdf"
    result = cli.invoke(args=["documents", "recommendations", meeting.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 adopted recommendation(s) on 1 page(s)" in result.output
    text = _text(out)
    positions = [text.index(line) for line in ORDER]
    assert positions == sorted(positions)
    # Themes in their order, the addressees above their recommendations, the preamble first.
    assert text.index("We, the participants.") < text.index("Labour migration governance") < text.index("Health")
    assert text.index("Addressed to: Governments of countries of origin") < text.index("1. Abolish")
    assert "A draft nobody adopted." not in text and "A rejected proposal." not in text
    assert "5." not in re.sub(r"\d+\.\d", "", text)  # numbered 1 to 4 straight through
    assert "Mekong Migration Network" in text and "Hidden Organisation" not in text  # participants, with consent
    assert "Page 1 of 1" in text


def test_a_khmer_translation_renders_shaped_in_the_khmer_font(cli, meeting, tmp_path):
    out = tmp_path / "km.pdf"
    result = cli.invoke(args=["documents", "recommendations", meeting.slug, "-o", str(out), "--lang", "km"])
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert f"3. {KHMER}" in text and "Give migrants health insurance." in text  # the English beneath
    assert "1. Abolish recruitment fees." in text  # untranslated ones in English
    assert "NotoSansKhmer" in run("pdffonts", str(out))


def test_a_language_not_offered_is_one_line_on_stderr(cli, meeting, tmp_path):
    out = tmp_path / "x.pdf"
    result = cli.invoke(args=["documents", "recommendations", meeting.slug, "-o", str(out), "--lang", "fr"])
    assert result.exit_code == 1 and not out.exists()
    assert "no language 'fr': choose one of en, km, lo, my, th, vi, zh" in result.output
    result = cli.invoke(args=["documents", "recommendations", "no-such-event", "-o", str(out)])
    assert result.exit_code == 1 and "no event with the slug 'no-such-event'" in result.output


def test_markdown_and_docx_carry_the_same_numbers(client, team, meeting, tmp_path):
    sign_in(client, team.organiser)
    base = f"/manage/events/{meeting.slug}/recommendations"
    markdown = client.get(base + ".md")
    assert markdown.headers["Content-Type"].startswith("text/markdown")
    lines = markdown.get_data(as_text=True).splitlines()
    assert [line for line in lines if re.match(r"\d+\. ", line)] == ORDER
    document = client.get(base + ".docx")
    assert document.headers["Content-Disposition"].endswith(f"recommendations-{meeting.slug}.docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(document.data)).paragraphs]
    assert [p.split("\n")[0].replace(".\t", ". ") for p in paragraphs if re.match(r"\d+\.\t", p)] == ORDER
    pdf = client.get(base + ".pdf?lang=km")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert client.get(base + ".pdf?lang=fr").status_code == 400


def test_the_renderer_is_a_pure_function_of_plain_records(tmp_path):
    doc = RecommendationsDocument(
        event=EventInfo(title="Regional Symposium", dates="3\u20135 March 2026", city="Bangkok", country="Thailand"),
        language="en", wording=Wording(), preamble="First paragraph.\n\nSecond paragraph.",
        sections=(ThemeSection("Health", (AddresseeGroup(("ASEAN", "ILO and IOM"), (
            NumberedRecommendation(1, "Share health records across borders.", "Working group 1"),
            NumberedRecommendation(2, "ຂໍ້ສະເໜີ <b>&amp;</b>"))),)),),
        participants=(CountryOrganisations("Lao PDR", ("Lao Women's Union",)),),
    )
    out = tmp_path / "pure.pdf"
    with out.open("wb") as stream:
        report = render_recommendations(doc, stream)
    assert (report.items, report.pages) == (2, 1)
    text = _text(out)
    assert "Addressed to: ASEAN; ILO and IOM" in text and "2. ຂໍ້ສະເໜີ <b>&amp;</b>" in text
    assert "From: Working group 1" in text and "Lao Women's Union" in text


def test_the_demo_consultation_shows_what_the_feature_is_for(cli, db, tmp_path):
    assert cli.invoke(args=["demo"]).exit_code == 0
    rows = db.session.execute(select(Recommendation.status, func.count()).join(Theme).where(
        Theme.name.is_not(None)).group_by(Recommendation.status)).all()
    counts = dict(rows)
    assert counts[RecommendationStatus.ADOPTED] >= 8 and counts[RecommendationStatus.DRAFT] >= 2
    assert counts[RecommendationStatus.REJECTED] == 1 and counts[RecommendationStatus.MERGED] == 2
    themes = db.session.scalar(select(func.count(func.distinct(Recommendation.theme_id))).where(
        Recommendation.status == RecommendationStatus.ADOPTED))
    assert themes >= 3
    out = tmp_path / "demo.pdf"
    result = cli.invoke(args=["documents", "recommendations", PAST_SLUG, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert "1. Cap recruitment fees" in text and "10. Inform migrant workers" in text
    assert "Deport" not in text
    assert cli.invoke(args=["demo"]).exit_code == 0  # loading it again adds nothing
    assert db.session.scalar(select(func.count(Recommendation.id))) == sum(counts.values())


def test_pdftotext_sees_the_document_title(meeting, tmp_path, app):
    from events_app.recommendations.publishing import recommendations_pdf

    out = tmp_path / "direct.pdf"
    with out.open("wb") as stream:
        recommendations_pdf(meeting, stream)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Recommendations: Closing Consultation" in info
