"""`gakuseki board keygen|sign-template`: the board of education's side of templates (no store).

The private key stays with the board. It is encrypted (PKCS#8 PEM) when ``--encrypt`` is
given or ``GAKUSEKI_BOARD_PASSPHRASE`` is set; signing reads the passphrase from that variable
or asks at the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from storage.errors import InputError
from storage.templates import keys, package

PASSPHRASE_ENV = "GAKUSEKI_BOARD_PASSPHRASE"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = sub.add_parser("board", help="教育委員会: 鍵とテンプレート署名 / board of education: keys, signing")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    keygen = actions.add_parser("keygen", help="署名鍵を作成 / make the board's Ed25519 key pair")
    keygen.add_argument("--out", type=Path, required=True, help="鍵を書くフォルダ / folder for the key files")
    keygen.add_argument("--encrypt", action="store_true", help="秘密鍵をパスフレーズで暗号化 / encrypt the private key")
    keygen.set_defaults(func=cmd_keygen)
    sign = actions.add_parser("sign-template", help="テンプレートに署名 / sign a template folder into a package")
    sign.add_argument("source", type=Path, metavar="SRC_DIR", help="template.json と部品のフォルダ")
    sign.add_argument("--key", type=Path, required=True, help="秘密鍵ファイル / private key file")
    sign.add_argument("--out", type=Path, required=True, help="パッケージの出力先 / package file to write")
    sign.set_defaults(func=cmd_sign)


def _new_passphrase() -> str:
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise InputError(
            "board.no_passphrase",
            f"パスフレーズがありません。端末で実行するか {PASSPHRASE_ENV} を設定してください",
            f"No passphrase: run in a terminal or set {PASSPHRASE_ENV}",
        )
    first = getpass.getpass("秘密鍵のパスフレーズ / private key passphrase: ")
    if first != getpass.getpass("もう一度 / again: "):
        raise InputError("board.passphrase_mismatch", "パスフレーズが一致しません", "The passphrases do not match")
    return first


def cmd_keygen(args: argparse.Namespace) -> int:
    passphrase = _new_passphrase() if args.encrypt or os.environ.get(PASSPHRASE_ENV) else None
    private, public, kid = keys.generate(args.out, passphrase)
    print(f"秘密鍵 / private key: {private}  ({'暗号化 / encrypted' if passphrase else '暗号化なし / not encrypted'})")
    print(f"公開鍵 / public key:  {public}")
    print(f"鍵ID / key id: {kid}")
    print("公開鍵を各学校に渡してください。秘密鍵は教育委員会の外に出さないでください / "
          "Give the public key to the schools; keep the private key at the board")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None and keys.private_is_encrypted(args.key) and sys.stdin is not None and sys.stdin.isatty():
        passphrase = getpass.getpass("秘密鍵のパスフレーズ / private key passphrase: ")
    private = keys.load_private(args.key, passphrase)
    if not args.source.is_dir():
        raise InputError(
            "template.source_missing", f"フォルダ {args.source} がありません", f"No folder {args.source}"
        )
    if args.out.exists():
        raise InputError(
            "template.out_exists", f"{args.out} は既にあります。上書きしません", f"{args.out} exists; not overwritten"
        )
    data = package.build(args.source, private)
    args.out.write_bytes(data)
    pkg = package.read(data)
    print(args.out)
    print(
        f"署名しました / Signed: {pkg.template_id} 版 {pkg.version} (鍵ID / key id {pkg.key_id})",
        file=sys.stderr,
    )
    return 0
