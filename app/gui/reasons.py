"""Why a recognised value needs a person: the extractor's reason codes in words a teacher reads.

The codes come from ``ocr`` (``FieldValue.reasons``); an unknown code is shown as it is, so a new
check never hides its reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "reasons"

VARIANT = QT_TRANSLATE_NOOP("reasons", "異体字(髙・﨑など)かもしれません。画像で字形を確かめてください")
REASON_TEXT = {
    "ocr.models_disagree": QT_TRANSLATE_NOOP("reasons", "2つの読み取りが一致しません"),
    "ocr.low_confidence": QT_TRANSLATE_NOOP("reasons", "文字がはっきり読み取れません"),
    "ocr.other_read_valid": QT_TRANSLATE_NOOP(
        "reasons", "一方の読み取りは形式に合わないため、もう一方を表示しています"
    ),
    "field.empty": QT_TRANSLATE_NOOP("reasons", "空欄です(読み取れませんでした)"),
    "header.pages_disagree": QT_TRANSLATE_NOOP(
        "reasons", "この列の見出しがページによって違って読めました。列を取り違えていないか原本で確認してください"
    ),
    "import.column_missing": QT_TRANSLATE_NOOP(
        "reasons", "名簿にこの欄がありません。登録に必要なので入力してください"
    ),
    "import.kana_from_dictionary": QT_TRANSLATE_NOOP(
        "reasons", "名簿にふりがながないため、氏名の辞書の読みを候補として入れました"
    ),
    "no.format": QT_TRANSLATE_NOOP("reasons", "番号として読めません"),
    "no.sequence": QT_TRANSLATE_NOOP("reasons", "番号が前後の行と続いていません"),
    "name.variant_glyph": VARIANT,
    "name.split_by_reading": QT_TRANSLATE_NOOP(
        "reasons", "間の空いていない氏名を、ふりがなと辞書の読みで姓と名に分けました"
    ),
    "name.split_by_dictionary": QT_TRANSLATE_NOOP(
        "reasons", "間の空いていない氏名を、よくある姓と名前の辞書で姓と名に分けました"
    ),
    "name.variant_possible": VARIANT,
    "name.guardian_mismatch": QT_TRANSLATE_NOOP("reasons", "保護者の姓と違います"),
    "name.from_guardian": QT_TRANSLATE_NOOP(
        "reasons", "読み取れない姓に代えて、ふりがなと合う保護者の姓を表示しています"
    ),
    "name.no_gap": QT_TRANSLATE_NOOP("reasons", "姓と名の区切りが見つかりません"),
    "name.kana_differs": QT_TRANSLATE_NOOP("reasons", "ふりがなと合いません"),
    "name.flat_kanji_lost": QT_TRANSLATE_NOOP(
        "reasons", "標準モードのファクスでは「一」などの横画が消えることがあります（例: 陽一が陽に）"
    ),
    "name.spelled_from_kana": QT_TRANSLATE_NOOP(
        "reasons", "読み取れた字がふりがなと合わないため、その読みの名前で印字の形に最も近い字を候補として入れました"
    ),
    "name.nearest_given": QT_TRANSLATE_NOOP(
        "reasons", "読み取った名が印字と合わないため、一字違いの名前で印字の形に最も近いものを候補として入れました"
    ),
    "name.common_surname": QT_TRANSLATE_NOOP(
        "reasons", "読み取った姓がよくある姓でないため、一字違いのよくある姓で印字に最も近いものを候補として入れました"
    ),
    "name.unknown_given": QT_TRANSLATE_NOOP("reasons", "名前の辞書にない名です"),
    "name.mixed_script": QT_TRANSLATE_NOOP("reasons", "かなと漢字の混ざり方が不自然です"),
    "name.bad_char": QT_TRANSLATE_NOOP("reasons", "名前に使わない文字が入っています"),
    "kana.split_uncertain": QT_TRANSLATE_NOOP("reasons", "ふりがなの姓と名の区切りが確かではありません"),
    "kana.reading_mismatch": QT_TRANSLATE_NOOP("reasons", "氏名の辞書の読みと合いません"),
    "kana.from_dictionary": QT_TRANSLATE_NOOP("reasons", "読み取れなかったため、辞書の読みを候補として入れました"),
    "kana.not_kana": QT_TRANSLATE_NOOP("reasons", "かな以外の文字が入っています"),
    "kana.bad_start": QT_TRANSLATE_NOOP("reasons", "読みの始まりとしてありえない文字です"),
    "kana.length": QT_TRANSLATE_NOOP("reasons", "ふりがなの長さが不自然です"),
    "kana.empty": QT_TRANSLATE_NOOP("reasons", "ふりがなが読み取れません"),
    "kana.name_unread": QT_TRANSLATE_NOOP("reasons", "氏名が読み取れなかったため、ふりがなを確かめられません"),
    "sex.invalid": QT_TRANSLATE_NOOP("reasons", "男・女として読めません"),
    "sex.ocr_disagrees": QT_TRANSLATE_NOOP("reasons", "字形と読み取りが違います"),
    "sex.font_template": QT_TRANSLATE_NOOP("reasons", "字形の見本から推定しました"),
    "sex.ambiguous": QT_TRANSLATE_NOOP("reasons", "男・女のどちらか判別できません"),
    "date.empty": QT_TRANSLATE_NOOP("reasons", "生年月日が読み取れません"),
    "date.format": QT_TRANSLATE_NOOP("reasons", "日付として読めません"),
    "date.invalid": QT_TRANSLATE_NOOP("reasons", "存在しない日付です"),
    "date.range": QT_TRANSLATE_NOOP("reasons", "ありえない日付です"),
    "date.era_year": QT_TRANSLATE_NOOP("reasons", "元号の年が読み取れません"),
    "date.before_era": QT_TRANSLATE_NOOP("reasons", "その元号が始まる前の日付です"),
    "date.after_era": QT_TRANSLATE_NOOP("reasons", "その元号が終わった後の日付です"),
    "date.cohort": QT_TRANSLATE_NOOP("reasons", "この学年の生まれ(4月2日〜翌4月1日)ではありません"),
    "date.salvaged": QT_TRANSLATE_NOOP("reasons", "一部の文字が読めないため、日付を推定しました"),
    "date.from_cohort": QT_TRANSLATE_NOOP("reasons", "年が読めないため、学年から推定しました"),
    "date.digit_lost": QT_TRANSLATE_NOOP(
        "reasons",
        "読み取った日付はこの学年の生まれではないため、数字が一つ欠けたものとみて学年の日付に直しました"
        "（元の読みは「ほかの読み」に残しています。原本で確認してください）",
    ),
    "phone.format": QT_TRANSLATE_NOOP("reasons", "電話番号の形になっていません"),
    "phone.invalid": QT_TRANSLATE_NOOP("reasons", "日本の電話番号として正しくありません"),
    "phone.leading_zero": QT_TRANSLATE_NOOP(
        "reasons", "先頭の0が別の数字に読まれていたため、0に直しました（原本で確認してください）"
    ),
    "address.unknown_municipality": QT_TRANSLATE_NOOP("reasons", "辞書にない市区町村名です"),
    "address.unknown_county": QT_TRANSLATE_NOOP("reasons", "辞書にない郡名です"),
    "address.ward_mended": QT_TRANSLATE_NOOP(
        "reasons", "この市にない区名だったため、一字違いの区名に直しました（原本で確認してください）"
    ),
    "address.municipality_mended": QT_TRANSLATE_NOOP(
        "reasons", "実在しない市区町村名だったため、一字違いの実在する名前に直しました（原本で確認してください）"
    ),
    "address.unknown_town": QT_TRANSLATE_NOOP("reasons", "全国の町名にない名前です(読み違いの疑い)"),
    "address.town_mended": QT_TRANSLATE_NOOP(
        "reasons", "全国の町名にない名前だったため、一字違いの実在する町名に直しました（原本で確認してください）"
    ),
    "address.lookalike": QT_TRANSLATE_NOOP("reasons", "形の似た文字と読み違えているかもしれません"),
    "address.pattern": QT_TRANSLATE_NOOP("reasons", "丁目・番・号の形が不自然です"),
    "address.block_repaired": QT_TRANSLATE_NOOP("reasons", "崩れていた丁目・番・号の文字を補いました"),
    "address.no_number": QT_TRANSLATE_NOOP("reasons", "番地がありません"),
    "address.no_municipality": QT_TRANSLATE_NOOP("reasons", "市区町村がありません"),
    "address.bad_char": QT_TRANSLATE_NOOP("reasons", "住所に使わない文字が入っています"),
    "school.pattern": QT_TRANSLATE_NOOP("reasons", "園・学校名の終わり方が不自然です"),
    "school.kind_repaired": QT_TRANSLATE_NOOP("reasons", "「保育園」などの部分を補いました"),
    "school.bad_char": QT_TRANSLATE_NOOP("reasons", "園・学校名に使わない文字が入っています"),
    "school.place_mended": QT_TRANSLATE_NOOP(
        "reasons", "園名の地名が全国の町名になかったため、一字違いの実在する町名に直しました（原本で確認してください）"
    ),
    "school.odd_name": QT_TRANSLATE_NOOP("reasons", "園・学校名のひらがなが言葉になっていません(読み違いの疑い)"),
}


def describe(codes: Iterable[object]) -> list[str]:
    """Each reason once, in the user's language; an unknown code as it is."""
    out: list[str] = []
    for code in codes:
        source = REASON_TEXT.get(str(code))
        text = QCoreApplication.translate(CONTEXT, source) if source is not None else str(code)
        if text not in out:
            out.append(text)
    return out


def joined(texts: Iterable[str]) -> str:
    """Reasons as one line: 「…。…」 in Japanese, "…; …" in English."""
    return QCoreApplication.translate(CONTEXT, SEPARATOR).join(texts)


SEPARATOR = QT_TRANSLATE_NOOP("reasons", "。")
