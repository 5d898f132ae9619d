"""Synthetic 入学予定者名簿 generator: ledgers plus truth JSON in the fixtures' format.

Varies fonts (IPAex Gothic / Mincho), column order and presence, header wording, stacked or separate
ふりがな (hiragana or katakana), era / short / Western dates, and acquisition: fine fax (204x196,
1-bit G4 TIFF), standard fax (204x98, 1-bit G3), scans (PNG/JPEG/PDF, skewed), tablet photos
(perspective, uneven light, desk).  All names and addresses are fictitious.

usage: python tests/ocr/generator.py OUT_DIR [--n 12] [--seed 1] [--modes fax_fine,scan,...]
"""

from __future__ import annotations

import argparse
import io
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONTS = {
    "gothic": "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "mincho": "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
}
MODES = ("fax_fine", "fax_standard", "scan", "photo")

FAMILY = [
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("清水", "しみず"),
    ("山口", "やまぐち"),
    ("森", "もり"),
    ("池田", "いけだ"),
    ("橋本", "はしもと"),
    ("石川", "いしかわ"),
    ("前田", "まえだ"),
    ("藤田", "ふじた"),
    ("岡田", "おかだ"),
    ("後藤", "ごとう"),
    ("長谷川", "はせがわ"),
    ("村上", "むらかみ"),
    ("近藤", "こんどう"),
]
RARE_FAMILY = [("髙橋", "たかはし"), ("山﨑", "やまさき"), ("渡邉", "わたなべ")]
GIVEN = [
    ("翔太", "しょうた", "男"),
    ("大輝", "だいき", "男"),
    ("健一", "けんいち", "男"),
    ("拓真", "たくま", "男"),
    ("直人", "なおと", "男"),
    ("亮介", "りょうすけ", "男"),
    ("陽一", "よういち", "男"),
    ("浩", "ひろし", "男"),
    ("翼", "つばさ", "男"),
    ("涼平", "りょうへい", "男"),
    ("誠", "まこと", "男"),
    ("和也", "かずや", "男"),
    ("花子", "はなこ", "女"),
    ("美咲", "みさき", "女"),
    ("千代", "ちよ", "女"),
    ("加奈", "かな", "女"),
    ("里佳", "りか", "女"),
    ("七海", "ななみ", "女"),
    ("陽子", "ようこ", "女"),
    ("真綾", "まあや", "女"),
    ("さゆり", "さゆり", "女"),
    ("くみ子", "くみこ", "女"),
    ("結衣", "ゆい", "女"),
    ("桃子", "ももこ", "女"),
]
RARE_GIVEN = [("紬", "つむぎ", "女"), ("颯", "はやて", "男"), ("澪", "みお", "女"), ("柊", "しゅう", "男")]
GUARD_GIVEN = ["明", "直樹", "康弘", "智也", "舞", "恵子", "洋子", "修平", "由美", "正和", "裕子", "達也"]
CITIES = [
    "横浜市中区",
    "川崎市幸区",
    "八王子市",
    "町田市",
    "船橋市",
    "柏市",
    "川口市",
    "所沢市",
    "府中市",
    "調布市",
    "西東京市",
    "市川市",
    "松戸市",
    "越谷市",
    "相模原市南区",
    "藤沢市",
]
TOWNS = ["本町", "栄町", "緑町", "旭町", "中央", "東町", "南町", "桜台", "若葉", "大和田", "新田", "上野台"]
SCHOOLS = [
    "さくら保育園",
    "ひまわり幼稚園",
    "わかば保育所",
    "中央こども園",
    "みどり幼稚園",
    "あおぞら保育園",
    "つくし保育園",
    "東町幼稚園",
    "はなぞの保育所",
    "すみれこども園",
]

HEADERS = {
    "no": ["番号", "No."],
    "name": ["氏名", "児童氏名", "生徒氏名"],
    "kana": ["ふりがな", "フリガナ"],
    "kana_name": ["ふりがな／氏名", "フリガナ／氏名"],
    "sex": ["性別"],
    "birth_date": ["生年月日"],
    "guardian": ["保護者氏名", "保護者"],
    "address": ["住所", "現住所"],
    "phone": ["電話番号", "連絡先", "電話"],
    "previous_school": ["出身園", "出身校", "出身幼稚園"],
}
WIDTH = {
    "no": 1.0,
    "name": 3.4,
    "kana": 3.6,
    "kana_name": 3.6,
    "sex": 1.0,
    "birth_date": 3.4,
    "guardian": 3.2,
    "address": 6.6,
    "phone": 3.6,
    "previous_school": 3.4,
}


@dataclass
class Spec:
    seed: int
    mode: str
    font: str
    columns: list[str]
    headers: dict[str, str]
    kana_script: str  # hiragana | katakana
    date_style: str  # era | short | western
    rows_per_page: list[int]
    rare: bool
    fmt: str  # tif | png | jpg | pdf
    skew: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def _kata(s: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in s)


def random_spec(rng: random.Random, seed: int, mode: str, rows: int | None = None) -> Spec:
    cols = ["no"]
    stacked = rng.random() < 0.5
    names = ["kana_name"] if stacked else (["kana", "name"] if rng.random() < 0.7 else ["name", "kana"])
    body = ["sex", "birth_date", "guardian", "address", "phone", "previous_school"]
    body = [c for c in body if c in ("sex", "birth_date") or rng.random() < 0.85]
    if rng.random() < 0.4:
        rng.shuffle(body)
    cols += names + body
    headers = {c: rng.choice(HEADERS[c]) for c in cols}
    n_pages = 1 if rng.random() < 0.6 else 2
    rpp = [rows or rng.randint(8, 12) for _ in range(n_pages)]
    fmt = {"fax_fine": "tif", "fax_standard": "tif", "photo": "jpg"}.get(mode) or rng.choice(
        ["png", "pdf", "jpg"]
    )
    return Spec(
        seed=seed,
        mode=mode,
        font=rng.choice(list(FONTS)),
        columns=cols,
        headers=headers,
        kana_script=rng.choice(["hiragana", "katakana"]),
        date_style=rng.choice(["era", "short", "western"]),
        rows_per_page=rpp,
        rare=rng.random() < 0.3,
        fmt=fmt,
        skew=rng.uniform(-4.5, 4.5) if mode in ("scan",) else rng.uniform(-1.0, 1.0),
    )


def era_text(d: date, style: str) -> str:
    if style == "western":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    if d >= date(2019, 5, 1):
        era, y, short = "令和", d.year - 2018, "R"
    else:
        era, y, short = "平成", d.year - 1988, "H"
    if style == "short":
        return f"{short}{y}.{d.month}.{d.day}"
    ys = "元" if y == 1 else str(y)
    return f"{era}{ys}年{d.month}月{d.day}日"


def make_records(rng: random.Random, spec: Spec, cohort: int) -> list[dict[str, object]]:
    recs: list[dict[str, object]] = []
    n = sum(spec.rows_per_page)
    start = date(cohort, 4, 2)
    for i in range(n):
        fam, fk = rng.choice(RARE_FAMILY if spec.rare and rng.random() < 0.15 else FAMILY)
        giv, gk, sex = rng.choice(RARE_GIVEN if spec.rare and rng.random() < 0.15 else GIVEN)
        bd = start + timedelta(days=rng.randrange(365))
        phone = rng.choice(
            [
                f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                f"080-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                f"03-{rng.randint(3000, 6999)}-{rng.randint(1000, 9999)}",
                f"045-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
            ]
        )
        rec: dict[str, object] = {
            "no": i + 1,
            "family_name": fam,
            "given_name": giv,
            "family_kana": _kata(fk),
            "given_kana": _kata(gk),
            "sex": sex,
            "birth_date": bd.isoformat(),
            "guardian": f"{fam} {rng.choice(GUARD_GIVEN)}",
            "address": f"{rng.choice(CITIES)}{rng.choice(TOWNS)}{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番"
            f"{rng.randint(1, 20)}号",
            "phone": phone,
            "previous_school": rng.choice(SCHOOLS),
        }
        recs.append(rec)
    return recs


def _truth_fields(spec: Spec) -> set[str]:
    out: set[str] = set()
    for c in spec.columns:
        out |= {
            "kana_name": {"family_name", "given_name", "family_kana", "given_kana"},
            "name": {"family_name", "given_name"},
            "kana": {"family_kana", "given_kana"},
        }.get(c, {c})
    return out


def render_page(
    spec: Spec, recs: list[dict[str, object]], page: int, n_pages: int, school: str
) -> Image.Image:
    w, h = 3508, 2480
    im = Image.new("L", (w, h), 255)
    dr = ImageDraw.Draw(im)
    fpath = FONTS[spec.font]
    f_main = ImageFont.truetype(fpath, 40)
    f_small = ImageFont.truetype(fpath, 22)
    f_title = ImageFont.truetype(fpath, 64)
    dr.text((w // 2 - 400, 150), "令和7年度　入学予定者名簿", font=f_title, fill=0)
    dr.text((220, 290), school, font=f_main, fill=0)
    dr.text((w - 350, 330), f"{page}／{n_pages}", font=f_main, fill=0)
    x0, y0 = 180, 390
    total = sum(WIDTH[c] for c in spec.columns)
    widths = [int((w - 2 * x0) * WIDTH[c] / total) for c in spec.columns]
    xs = [x0]
    for cw in widths:
        xs.append(xs[-1] + cw)
    head_h = 90
    row_h = 135 if "kana_name" in spec.columns else 120
    ys = [y0, y0 + head_h] + [y0 + head_h + row_h * (i + 1) for i in range(len(recs))]
    lw = 4
    gap = str(spec.extra.get("name_gap", "　"))  # some ledgers print 鈴木花子 with no gap
    if shade := spec.extra.get("header_shade"):
        # 網掛け: the header row printed on a grey ground (0-1, the share of ink)
        dr.rectangle([xs[0], ys[0], xs[-1], ys[1]], fill=round(255 * (1 - shade)))
    for x in xs:
        dr.line([(x, ys[0]), (x, ys[-1])], fill=0, width=lw)
    for y in ys:
        dr.line([(xs[0], y), (xs[-1], y)], fill=0, width=lw)
    for ci, c in enumerate(spec.columns):
        text = spec.headers[c]
        tw = dr.textlength(text, font=f_main)
        dr.text(((xs[ci] + xs[ci + 1] - tw) / 2, ys[0] + 22), text, font=f_main, fill=0)
    kana = (
        (lambda s: s)
        if spec.kana_script == "katakana"
        else (lambda s: "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in s))
    )
    for ri, r in enumerate(recs):
        top = ys[ri + 1]
        for ci, c in enumerate(spec.columns):
            cx = xs[ci] + 18
            cy = top + (row_h - 44) // 2
            if c == "no":
                t = str(r["no"])
                tw = dr.textlength(t, font=f_main)
                dr.text(((xs[ci] + xs[ci + 1] - tw) / 2, cy), t, font=f_main, fill=0)
            elif c == "sex":
                tw = dr.textlength(str(r["sex"]), font=f_main)
                dr.text(((xs[ci] + xs[ci + 1] - tw) / 2, cy), str(r["sex"]), font=f_main, fill=0)
            elif c == "name":
                dr.text((cx, cy), f"{r['family_name']}{gap}{r['given_name']}", font=f_main, fill=0)
            elif c == "kana":
                dr.text(
                    (cx, cy),
                    f"{kana(str(r['family_kana']))}　{kana(str(r['given_kana']))}",
                    font=f_main,
                    fill=0,
                )
            elif c == "kana_name":
                dr.text(
                    (cx + 4, top + 14),
                    f"{kana(str(r['family_kana']))} {kana(str(r['given_kana']))}",
                    font=f_small,
                    fill=0,
                )
                dr.text((cx, top + 52), f"{r['family_name']}{gap}{r['given_name']}", font=f_main, fill=0)
            elif c == "birth_date":
                dr.text(
                    (cx, cy),
                    era_text(date.fromisoformat(str(r["birth_date"])), spec.date_style),
                    font=f_main,
                    fill=0,
                )
            else:
                t = str(r[c])
                font = f_main
                size = 40
                while dr.textlength(t, font=font) > xs[ci + 1] - xs[ci] - 30 and size > 22:
                    size -= 2
                    font = ImageFont.truetype(fpath, size)
                dr.text((cx, top + (row_h - size) // 2), t, font=font, fill=0)
    return im


FAX_BLUR = 0.6  # sigma at 300 dpi
FAX_NOISE = 12.0
FAX_THRESHOLD = 170  # of 255: black from ~1/3 ink coverage


def _rotate(img: np.ndarray, deg: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def degrade(rng: random.Random, spec: Spec, page: Image.Image) -> tuple[Image.Image, tuple[float, float]]:
    arr = np.asarray(page, dtype=np.uint8)
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    if spec.mode.startswith("fax"):
        arr = _rotate(arr, spec.skew)
        dy = 196 if spec.mode == "fax_fine" else 98
        # the sending machine's scanner: optics blur a little, each sensor cell averages its area, and
        # a pixel turns black once about a third of it is inked.  Calibrated on the shared fixture
        # faxes (stroke width of gothic text 2.3-2.6 px at 204x196); a 150 threshold with heavy noise
        # erased the thin horizontals of Mincho, which real faxes keep.
        arr = cv2.GaussianBlur(arr, (0, 0), FAX_BLUR)
        small = cv2.resize(
            arr, (int(arr.shape[1] * 204 / 300), int(arr.shape[0] * dy / 300)), interpolation=cv2.INTER_AREA
        )
        noisy = small.astype(np.int16) + nrng.normal(0, FAX_NOISE, small.shape).astype(np.int16)
        bw = np.where(noisy < FAX_THRESHOLD, 0, 255).astype(np.uint8)
        specks = nrng.random(bw.shape) < 0.0015
        bw[specks] = 0
        # broken rules: occasional white streaks
        for _ in range(rng.randint(2, 6)):
            x = rng.randrange(bw.shape[1])
            bw[:, x : x + 1] = np.maximum(
                bw[:, x : x + 1], (nrng.random((bw.shape[0], 1)) < 0.5) * 255
            ).astype(np.uint8)
        return Image.fromarray(bw).convert("1"), (204.0, float(dy))
    if spec.mode == "scan":
        dpi = rng.choice([150, 200, 300, 400])
        arr = _rotate(arr, spec.skew)
        arr = cv2.GaussianBlur(arr, (3, 3), 0.8)
        arr = cv2.resize(
            arr, (int(arr.shape[1] * dpi / 300), int(arr.shape[0] * dpi / 300)), interpolation=cv2.INTER_AREA
        )
        out = arr.astype(np.float32) * rng.uniform(0.85, 1.0) + nrng.normal(0, 6, arr.shape)
        out = np.clip(out + rng.uniform(0, 25), 0, 255).astype(np.uint8)
        if rng.random() < 0.3:
            rgb = cv2.cvtColor(out, cv2.COLOR_GRAY2RGB)
            rgb[..., 2] = np.clip(rgb[..., 2].astype(np.int16) - 12, 0, 255).astype(np.uint8)
            return Image.fromarray(rgb), (float(dpi), float(dpi))
        return Image.fromarray(out), (float(dpi), float(dpi))
    # photo: the sheet on a desk, in perspective, uneven light
    ph, pw = 3000, 4000
    desk = np.full((ph, pw), rng.randint(60, 120), np.uint8)
    desk = np.clip(desk.astype(np.float32) + nrng.normal(0, 8, desk.shape), 0, 255).astype(np.uint8)
    sh, sw = arr.shape
    src = np.float32([[0, 0], [sw, 0], [sw, sh], [0, sh]])
    j = lambda: rng.uniform(-120, 120)  # noqa: E731
    dst = np.float32(
        [
            [300 + j(), 300 + j()],
            [pw - 300 + j(), 250 + j()],
            [pw - 250 + j(), ph - 300 + j()],
            [250 + j(), ph - 250 + j()],
        ]
    )
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(arr, m, (pw, ph), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(arr, 255), m, (pw, ph), flags=cv2.INTER_NEAREST, borderValue=0)
    out = np.where(mask > 0, warped, desk).astype(np.float32)
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    light = 0.7 + 0.3 * (xx / pw) * rng.uniform(0.5, 1.0) + 0.1 * (yy / ph)
    out = np.clip(out * light + nrng.normal(0, 5, out.shape), 0, 255).astype(np.uint8)
    out = cv2.resize(out, (pw // 2 * 2 * 3 // 4, ph * 3 // 4), interpolation=cv2.INTER_AREA)
    return Image.fromarray(cv2.cvtColor(out, cv2.COLOR_GRAY2RGB)), (72.0, 72.0)


def save(images: list[Image.Image], dpi: tuple[float, float], spec: Spec, path: Path) -> None:
    if spec.fmt == "tif":
        comp = "group4" if spec.mode == "fax_fine" else "group3"
        images[0].save(path, compression=comp, dpi=dpi, save_all=True, append_images=images[1:])
    elif spec.fmt == "pdf":
        images[0].save(path, "PDF", resolution=dpi[0], save_all=True, append_images=images[1:])
    elif spec.fmt == "png":
        images[0].save(path, dpi=dpi)
    else:
        buf = io.BytesIO()
        images[0].convert("RGB").save(
            buf, "JPEG", quality=85, **({} if spec.mode == "photo" else {"dpi": dpi})
        )
        path.write_bytes(buf.getvalue())


def generate(
    out: Path,
    index: int,
    seed: int,
    mode: str,
    rows: int | None = None,
    spec: Spec | None = None,
    name: str | None = None,
    header_shade: float = 0.0,
    name_gap: str | None = None,
    without: tuple[str, ...] = (),
) -> Path:
    """Write one ledger and its truth; returns the ledger path.  ``header_shade``: the header row on a
    grey ground (網掛け) of that share of ink; ``name_gap``: what is printed between family and given
    name ("" for 鈴木花子); ``without``: columns the board does not print ("kana": names without ふりがな,
    "no"); the same ledger otherwise."""
    rng = random.Random(seed * 1000 + index)
    spec = spec or random_spec(rng, seed, mode, rows)
    if without:
        spec.columns = ["name" if c == "kana_name" and "kana" in without else c for c in spec.columns]
        spec.columns = [c for c in spec.columns if c not in without]
        spec.headers.setdefault("name", HEADERS["name"][0])
    if header_shade:
        spec.extra["header_shade"] = header_shade
    if name_gap is not None:
        spec.extra["name_gap"] = name_gap
    if spec.fmt in ("png", "jpg"):
        spec.rows_per_page = spec.rows_per_page[:1]  # single-image formats hold one page
    recs = make_records(rng, spec, 2018)
    school = f"{rng.choice(CITIES)}立{rng.choice(TOWNS)}小学校"
    pages, k = [], 0
    dpi = (300.0, 300.0)
    for p, n in enumerate(spec.rows_per_page, start=1):
        im = render_page(spec, recs[k : k + n], p, len(spec.rows_per_page), school)
        deg, dpi = degrade(rng, spec, im)
        pages.append(deg)
        k += n
    name = name or f"gen_{seed:03d}_{index:03d}_{spec.mode}_{spec.font}.{spec.fmt}"
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    save(pages, dpi, spec, path)
    keep = _truth_fields(spec)
    truth = {
        "file": name,
        "school": school,
        "layout": "+".join(spec.columns),
        "mode": spec.mode,
        "pages": len(pages),
        "rows_per_page": spec.rows_per_page,
        "generator": {"font": spec.font, "kana": spec.kana_script, "dates": spec.date_style, "seed": seed},
        "records": [{k2: v for k2, v in r.items() if k2 in keep} for r in recs],
    }
    (out / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def make_sample(out: Path) -> Path:
    """resources/samples/sample_fax.tif: fine fax, 1-bit G4, one page of 8 rows, fixed seed."""
    rng = random.Random(2025)
    spec = random_spec(rng, 2025, "fax_fine", rows=8)
    spec.rows_per_page = [8]
    spec.rare = False
    spec.skew = 0.6
    return generate(out, 0, 2025, "fax_fine", spec=spec, name="sample_fax.tif")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--sample", action="store_true", help="write only the README's sample fax")
    args = ap.parse_args()
    if args.sample:
        print(make_sample(args.out))
        return
    modes = args.modes.split(",")
    for i in range(args.n):
        print(generate(args.out, i, args.seed, modes[i % len(modes)]))


if __name__ == "__main__":
    main()
