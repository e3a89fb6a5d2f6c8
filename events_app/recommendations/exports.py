"""The recommendations document as Markdown (to publish on a website) and DOCX (to edit in a word processor).

Pure functions of a `RecommendationsDocument`, like the PDF renderer: the same numbers, the same order.
"""
from __future__ import annotations

import re
from typing import BinaryIO

from docx import Document
from docx.shared import Pt, RGBColor

from events_app.recommendations.records import RecommendationsDocument

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    """User text as Markdown that prints as written (no emphasis, links or HTML from it)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _where(doc: RecommendationsDocument) -> str:
    event = doc.event
    return " \u00b7 ".join(p for p in (event.dates, event.place) if p)


def to_markdown(doc: RecommendationsDocument) -> str:
    """The document as Markdown: numbered recommendations as an ordered list that keeps its numbers."""
    words = doc.wording
    out = [f"# {_md(doc.event.title)}", "", f"**{_md(words.kind)}** \u2014 {_md(_where(doc))}", ""]
    if doc.preamble_paragraphs:
        out += [f"## {_md(words.preamble)}", ""]
        for text in doc.preamble_paragraphs:
            out += [_md(text), ""]
    for section in doc.sections:
        out += [f"## {_md(section.theme)}", ""]
        for group in section.groups:
            out += [f"*{_md(words.addressed_to)}: {_md('; '.join(group.addressees))}*", ""]
            for rec in group.recommendations:
                out.append(f"{rec.number}. {_md(rec.text)}")
                if rec.english:
                    out.append(f"   <br>*{_md(rec.english)}*")
                if rec.source:
                    out.append(f"   <br>{_md(words.source)}: {_md(rec.source)}")
            out.append("")
    if not doc.sections:
        out += [_md(words.none_adopted), ""]
    for heading, countries in ((words.endorsers, doc.endorsers), (words.participants, doc.participants)):
        if countries:
            out += [f"## {_md(heading)}", ""]
            out += [f"- **{_md(c.country)}**: {_md('; '.join(c.organisations))}" for c in countries]
            out.append("")
    return "\n".join(out)


def write_docx(doc: RecommendationsDocument, out: BinaryIO) -> None:
    """The document as a Word file, numbers written out (they survive any editing of list styles)."""
    words = doc.wording
    document = Document()
    document.core_properties.title = f"{words.kind}: {doc.event.title}"
    document.core_properties.language = doc.language
    document.add_paragraph(words.kind.upper()).runs[0].bold = True
    document.add_heading(doc.event.title, level=0)
    document.add_paragraph(_where(doc))
    if doc.preamble_paragraphs:
        document.add_heading(words.preamble, level=1)
        for text in doc.preamble_paragraphs:
            document.add_paragraph(text)
    for section in doc.sections:
        document.add_heading(section.theme, level=1)
        for group in section.groups:
            document.add_paragraph().add_run(f"{words.addressed_to}: {'; '.join(group.addressees)}").italic = True
            for rec in group.recommendations:
                para = document.add_paragraph()
                para.paragraph_format.left_indent = Pt(24)
                para.paragraph_format.first_line_indent = Pt(-24)
                para.add_run(f"{rec.number}.\t").bold = True
                para.add_run(rec.text)
                for extra in (rec.english, f"{words.source}: {rec.source}" if rec.source else ""):
                    if extra:
                        run = para.add_run("\n" + extra)
                        run.font.size = Pt(9)
                        run.font.color.rgb = RGBColor(0x60, 0x60, 0x60)
    if not doc.sections:
        document.add_paragraph(words.none_adopted)
    for heading, countries in ((words.endorsers, doc.endorsers), (words.participants, doc.participants)):
        if countries:
            document.add_heading(heading, level=1)
            for entry in countries:
                para = document.add_paragraph()
                para.add_run(f"{entry.country}: ").bold = True
                para.add_run("; ".join(entry.organisations))
    document.save(out)
