"""PDF reports (reportlab, IPAex fonts embedded): class roster, monthly attendance summary
and each student's 出欠の記録.

Every page carries a watermark naming who exported it, when, and the export id (which is also
in the file name, so the audit entry of the export finds the page and the page finds its
audit entry). Like every file with personal data, the bytes leave only through
``storage.exports.export_file`` (encrypted to a recipient).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, B4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from storage import classes, students
from storage.attendance import codes
from storage.errors import InputError
from storage.reports import Payload, new_export_id
from storage.reports.attendance import SCHOOL_MONTHS, StudentYear, legend, month_grid, student_years
from storage.store import Store

FONT_FILES = {
    "gothic": ("IPAexGothic", Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")),
    "mincho": ("IPAexMincho", Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")),
}
PAPERS = {"A4": A4, "B4": B4, "A3": A3}
WEEKDAYS = "月火水木金土日"
GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.88, 0.88, 0.88)


def _font(kind: str) -> str:
    name, path = FONT_FILES.get(kind, FONT_FILES["mincho"])
    if name not in pdfmetrics.getRegisteredFontNames():
        if not path.is_file():
            raise InputError(
                "pdf.font_missing",
                f"日本語フォント {path} がありません(fonts-ipaexfont を入れてください)",
                f"The Japanese font {path} is missing (install fonts-ipaexfont)",
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@dataclass(frozen=True)
class Stamp:
    """What the watermark says."""

    user: str
    at: str
    export_id: str

    @property
    def text(self) -> str:
        return f"出力: {self.user}  {self.at}  ID {self.export_id}"


def _stamp(store: Store, export_id: str) -> Stamp:
    who = store.user.login if store.user.display_name == store.user.login else (
        f"{store.user.display_name} ({store.user.login})"
    )
    return Stamp(who, datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"), export_id)


def _on_page(stamp: Stamp, font: str, title: str) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        # diagonal, light, repeated: survives cropping a part of the page
        canvas.setFillColor(colors.Color(0.5, 0.5, 0.5, alpha=0.16))
        canvas.setFont(font, 15)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(30)
        step = 95
        for row in range(-6, 7):
            canvas.drawCentredString(0, row * step, f"{stamp.text}   取扱注意 / CONFIDENTIAL")
        canvas.restoreState()
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.Color(0.25, 0.25, 0.25))
        canvas.drawString(12 * mm, 8 * mm, f"{stamp.text}  個人情報・取扱注意")
        canvas.drawRightString(width - 12 * mm, 8 * mm, f"{title}  {doc.page} ページ")
        canvas.restoreState()

    return draw


def _options(store: Store) -> dict[str, Any]:
    from storage import templates

    return templates.report_options(store)


def _render(
    story: Sequence[Flowable],
    *,
    pagesize: tuple[float, float],
    stamp: Stamp,
    font: str,
    title: str,
) -> bytes:
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Gakuseki",
        creator="Gakuseki",
        subject=f"export {stamp.export_id}",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    # drawn after the page's content, so no table background can hide it
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_on_page(stamp, font, title))])
    doc.build(list(story))
    return out.getvalue()


def _styles(font: str) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=20, spaceAfter=3 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10.5)
    return title, body, small


def _school_name(store: Store) -> str:
    return str(store.query_one("SELECT name FROM school WHERE id = 1")["name"])


def _table_style(font: str, size: float) -> list[tuple[Any, ...]]:
    return [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ]


# --- class roster ------------------------------------------------------------------------------


def roster_pdf(store: Store, class_id: int) -> Payload:
    """名簿: 出席番号, 氏名, ふりがな (template option), 性別, 生年月日 of the class."""
    store.require_admin("report.roster")
    info = classes.get_class(store, class_id)
    opts = _options(store)
    font = _font(str(opts.get("font", "mincho")))
    found = students.list_students(store, class_id=class_id, view="roster pdf")
    export_id = new_export_id()
    title_text = f"{info.year}年度 {info.label} 名簿"
    title, body, _small = _styles(font)
    show_kana = bool(opts.get("show_kana", True))
    header = ["番号", "氏名", *(["ふりがな"] if show_kana else []), "性別", "生年月日"]
    data: list[list[str]] = [header]
    for s in found:
        data.append(
            [
                str(s.attendance_no or ""),
                s.full_name,
                *([s.full_kana] if show_kana else []),
                s.sex,
                _wareki(s.birth_date),
            ]
        )
    widths = [14 * mm, 48 * mm, *([52 * mm] if show_kana else []), 14 * mm, 48 * mm]
    table = Table(data, colWidths=widths, repeatRows=1, rowHeights=[8 * mm] * len(data))
    style = _table_style(font, 10)
    style += [("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (-2, 0), (-2, -1), "CENTER")]
    table.setStyle(TableStyle(style))
    homeroom = ""
    if info.homeroom_login:
        row = store.query_one("SELECT display_name FROM users WHERE login = ?", (info.homeroom_login,))
        homeroom = f"  学級担任: {row['display_name']}" if row else ""
    story: list[Flowable] = [
        Paragraph(title_text, title),
        Paragraph(f"{_school_name(store)}{homeroom}  在籍 {len(found)} 名", body),
        Spacer(1, 4 * mm),
        table,
    ]
    size = PAPERS[str(opts.get("paper", "A4"))]
    pdf = _render(story, pagesize=size, stamp=_stamp(store, export_id), font=font, title=title_text)
    return Payload(
        pdf,
        f"roster_{info.year}_{info.grade}-{info.name}_{export_id}.pdf",
        "roster_pdf",
        len(found),
        tuple(s.id for s in found),
        export_id,
    )


def _wareki(iso: str) -> str:
    d = date.fromisoformat(iso)
    if d >= date(2019, 5, 1):
        era, y = "令和", d.year - 2018
    elif d >= date(1989, 1, 8):
        era, y = "平成", d.year - 1988
    else:
        era, y = "昭和", d.year - 1925
    return f"{era}{'元' if y == 1 else y}年{d.month}月{d.day}日"


# --- monthly attendance summary ----------------------------------------------------------------


def monthly_attendance_pdf(
    store: Store, class_id: int, school_year: int, month: int, *, today: date | None = None
) -> Payload:
    """The class's month as on the paper register: students × days with the symbols in force,
    the month's totals per student and for the class, and the legend."""
    g = month_grid(store, class_id, school_year, month, today=today)
    opts = _options(store)
    font = _font(str(opts.get("font", "mincho")))
    export_id = new_export_id()
    title_text = f"{school_year}年度 {g.class_label} 出席簿 {g.year}年{g.month}月"
    title, body, small = _styles(font)
    days = g.days
    totals = ["授業", "停忌", "要出席", "欠席", "出席", "遅刻", "早退"]
    head1 = ["番号", "氏名", *[str(d.date.day) for d in days], *totals]
    head2 = ["", "", *[WEEKDAYS[d.date.weekday()] for d in days], *["" for _ in totals]]
    data: list[list[str]] = [head1, head2]
    for r in g.rows:
        t = r.totals
        data.append(
            [
                str(r.attendance_no),
                r.name,
                *[r.cells[d.date].symbol if d.date in r.cells else "" for d in days],
                *[str(v) for v in (t.lesson_days, t.excused_days, t.required_days, t.absent_days, t.present_days,
                                   t.late, t.early_leave)],
            ]
        )
    t = g.totals
    data.append(
        ["", "学級計", *["" for _ in days],
         *[str(v) for v in (t.lesson_days, t.excused_days, t.required_days, t.absent_days, t.present_days,
                            t.late, t.early_leave)]]
    )
    paper = PAPERS[str(opts.get("paper", "A4"))]
    pagesize = landscape(paper)
    usable = pagesize[0] - 24 * mm
    fixed = 9 * mm + 30 * mm + len(totals) * 10 * mm
    day_w = max(4.5 * mm, (usable - fixed) / max(1, len(days)))
    widths = [9 * mm, 30 * mm, *[day_w for _ in days], *[10 * mm for _ in totals]]
    table = Table(data, colWidths=widths, repeatRows=2, rowHeights=[5.2 * mm] * len(data))
    style = _table_style(font, 7.5)
    style += [
        ("BACKGROUND", (0, 1), (-1, 1), SHADE),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("ALIGN", (1, 2), (1, -1), "LEFT"),
        ("FONT", (1, 2), (1, -1), font, 8),
        ("LINEBEFORE", (2 + len(days), 0), (2 + len(days), -1), 1.0, colors.black),
        ("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black),
        ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.95, 0.95, 0.95)),
    ]
    for i, d in enumerate(days):
        if not d.is_school_day:
            style.append(("BACKGROUND", (2 + i, 2), (2 + i, -2), SHADE))
        if d.date.weekday() >= 5:
            style.append(("TEXTCOLOR", (2 + i, 0), (2 + i, 1), colors.Color(0.7, 0.1, 0.1)))
    table.setStyle(TableStyle(style))
    unsealed = sum(1 for d in days if d.is_school_day and not d.sealed)
    notes = [f"凡例: 空欄=出席、{legend(g.symbols)}、灰色=授業日でない日"]
    notes.append("停忌=出席停止・忌引等の日数、要出席=出席しなければならない日数")
    if unsealed:
        notes.append(f"未押印の授業日が {unsealed} 日あります(集計には含めています)")
    notes.append("署名の検証: " + ("すべて正常" if g.verified else f"失敗 — {g.problem}"))
    story: list[Flowable] = [
        Paragraph(title_text, title),
        Paragraph(_school_name(store), body),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
        *[Paragraph(n, small) for n in notes],
    ]
    pdf = _render(story, pagesize=pagesize, stamp=_stamp(store, export_id), font=font, title=title_text)
    return Payload(
        pdf,
        f"attendance_{g.year}-{g.month:02d}_class{class_id}_{export_id}.pdf",
        "attendance_month_pdf",
        len(g.rows),
        tuple(r.student_id for r in g.rows),
        export_id,
    )


# --- each student's 出欠の記録 -----------------------------------------------------------------


def _student_story(store: Store, rec: StudentYear, year: int, font: str) -> list[Flowable]:
    title, body, small = _styles(font)
    header = ["月", "授業日数", "出席停止・\n忌引等の日数", "出席しなければ\nならない日数", "欠席日数", "出席日数",
              "遅刻", "早退"]
    data: list[list[str]] = [header]
    for m in SCHOOL_MONTHS:
        t = rec.months.get(m)
        data.append([f"{m}月", *([str(v) for v in rec.totals_row(t)] if t else ["" for _ in range(7)])])
    data.append(["合計", *[str(v) for v in rec.totals_row()]])
    table = Table(
        data,
        colWidths=[16 * mm, 21 * mm, 25 * mm, 28 * mm, 21 * mm, 21 * mm, 17 * mm, 17 * mm],
        rowHeights=[11 * mm] + [6.8 * mm] * (len(data) - 1),
    )
    style = _table_style(font, 9)
    style += [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.95, 0.95, 0.95)),
    ]
    table.setStyle(TableStyle(style))
    shown = codes.symbols(store)
    marks = [
        [
            f"{m.date.month}月{m.date.day}日({WEEKDAYS[m.date.weekday()]})",
            m.symbol,
            codes.get(m.status).label,
            m.note,
            "" if m.sealed else "未押印",
        ]
        for m in rec.marks
    ]
    story: list[Flowable] = [
        Paragraph(f"{year}年度 出欠の記録", title),
        Paragraph(
            f"{_school_name(store)}  {rec.class_label}  出席番号 {rec.attendance_no}  "
            f"氏名 {rec.name}({rec.kana})",
            body,
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 3 * mm),
        Paragraph(f"備考: {rec.remarks() or 'なし'}", body),
        Spacer(1, 4 * mm),
    ]
    if marks:
        story.append(Paragraph("出席以外の日", body))
        detail = Table(
            [["日付", "記号", "区分", "メモ", "押印"], *marks],
            colWidths=[32 * mm, 14 * mm, 36 * mm, 70 * mm, 18 * mm],
            repeatRows=1,
        )
        dstyle = _table_style(font, 8.5)
        dstyle += [("ALIGN", (1, 0), (1, -1), "CENTER")]
        detail.setStyle(TableStyle(dstyle))
        story.append(detail)
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(f"凡例: 空欄=出席、{legend(shown)}", small))
    return story


def student_record_pdf(
    store: Store,
    year: int,
    *,
    student_id: int | None = None,
    class_id: int | None = None,
    until: date | None = None,
) -> Payload:
    """出欠の記録 of one student (``student_id``) or of every student of a class, one per page."""
    if (student_id is None) == (class_id is None):
        raise InputError(
            "report.scope", "児童生徒か学級のどちらかを指定してください", "Give either a student or a class"
        )
    found = student_years(store, year, class_id=class_id, student_id=student_id, until=until)
    opts = _options(store)
    font = _font(str(opts.get("font", "mincho")))
    export_id = new_export_id()
    story: list[Flowable] = []
    for i, rec in enumerate(found):
        if i:
            story.append(PageBreak())
        story.extend(_student_story(store, rec, year, font))
    if not story:
        _title, body, _small = _styles(font)
        story.append(Paragraph("該当する児童生徒はいません", body))
    title_text = f"{year}年度 出欠の記録"
    pdf = _render(
        story,
        pagesize=PAPERS[str(opts.get("paper", "A4"))],
        stamp=_stamp(store, export_id),
        font=font,
        title=title_text,
    )
    scope = f"student{student_id}" if student_id is not None else f"class{class_id}"
    return Payload(
        pdf,
        f"shukketsu_{year}_{scope}_{export_id}.pdf",
        "attendance_record_pdf",
        len(found),
        tuple(r.student_id for r in found),
        export_id,
    )
