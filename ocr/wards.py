"""The wards (区) of Japan's 20 designated cities (政令指定都市).

A ward its city does not have is a misread (横浜市草葉区 for 青葉区, 横浜市縁区 for 緑区) even when
the misread is a word the dictionary knows.  Listed as of 2024 (浜松市 re-formed its seven wards
into three on 2024-01-01); 保土ケ谷区 is also written 保土ヶ谷区.
"""

from __future__ import annotations

WARDS: dict[str, frozenset[str]] = {
    city: frozenset(f"{w}区" for w in names.split())
    for city, names in {
        "札幌市": "中央 北 東 白石 豊平 南 西 厚別 手稲 清田",
        "仙台市": "青葉 宮城野 若林 太白 泉",
        "さいたま市": "西 北 大宮 見沼 中央 桜 浦和 南 緑 岩槻",
        "千葉市": "中央 花見川 稲毛 若葉 緑 美浜",
        "横浜市": "鶴見 神奈川 西 中 南 保土ケ谷 保土ヶ谷 磯子 金沢 港北 戸塚 港南 旭 緑 瀬谷 栄 泉 青葉 都筑",
        "川崎市": "川崎 幸 中原 高津 多摩 宮前 麻生",
        "相模原市": "緑 中央 南",
        "新潟市": "北 東 中央 江南 秋葉 南 西 西蒲",
        "静岡市": "葵 駿河 清水",
        "浜松市": "中央 浜名 天竜",
        "名古屋市": "千種 東 北 西 中村 中 昭和 瑞穂 熱田 中川 港 南 守山 緑 名東 天白",
        "京都市": "北 上京 左京 中京 東山 下京 南 右京 伏見 山科 西京",
        "大阪市": "都島 福島 此花 西 港 大正 天王寺 浪速 西淀川 東淀川 東成 生野 旭 城東 阿倍野 住吉 東住吉 "
        "西成 淀川 鶴見 住之江 平野 北 中央",
        "堺市": "堺 中 東 西 南 北 美原",
        "神戸市": "東灘 灘 兵庫 長田 須磨 垂水 北 中央 西",
        "岡山市": "北 中 東 南",
        "広島市": "中 東 南 西 安佐南 安佐北 安芸 佐伯",
        "北九州市": "門司 若松 戸畑 小倉北 小倉南 八幡東 八幡西",
        "福岡市": "東 博多 中央 南 西 城南 早良",
        "熊本市": "中央 東 西 南 北",
    }.items()
}


def _city_and_ward(address: str, municipality: tuple[str, int]) -> tuple[str, str | None]:
    """The municipality (its stem and where it ends, :func:`ocr.reading.municipality`) with its suffix,
    and the ward written right after it (up to its first 区), if any."""
    stem, end = municipality
    k = address.find("区", end, end + 5)
    return stem + address[end - 1], (address[end : k + 1] if k > end else None)


def ward_known(address: str, municipality: tuple[str, int]) -> bool | None:
    """Whether the ward after a designated city is one of its wards; None when the municipality has no
    wards or no ward is written."""
    city, ward = _city_and_ward(address, municipality)
    wards = WARDS.get(city)
    if wards is None or ward is None:
        return None
    return ward in wards


def mend_ward(address: str, municipality: tuple[str, int]) -> str | None:
    """The address with an unknown ward replaced by the only ward of its city one character away
    (草葉区 → 青葉区), or None when there is no such single ward."""
    city, ward = _city_and_ward(address, municipality)
    if ward is None or ward_known(address, municipality) is not False:
        return None
    near = [
        w for w in WARDS[city] if len(w) == len(ward) and sum(a != b for a, b in zip(w, ward, strict=True)) == 1
    ]
    if len(near) != 1:
        return None
    end = municipality[1]
    return address[:end] + near[0] + address[end + len(ward) :]
