"""The monthly access report: who read or exported how many students, alerts, failed unlocks.

For ``gakuseki audit report --month YYYY-MM`` and the GUI's report view. Students are counted
once per user and month (``student_access``); the audit log gives the number of views,
export files, refusals and failed unlocks. Making the report is an administrator operation and
is itself audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage import policy
from storage.errors import InputError
from storage.store import Store


@dataclass
class UserAccess:
    login: str
    display_name: str
    role: str  # "teacher", "administrator", "" for a removed user or the recovery key
    students_read: int = 0  # distinct students this month
    students_exported: int = 0
    views: int = 0  # read operations (lists, records)
    export_files: int = 0
    refusals: int = 0


@dataclass(frozen=True)
class ExportRecord:
    at: str
    actor: str
    kind: str
    file: str
    destination: str
    recipient: str
    rows: int
    students: int
    reason: str


@dataclass(frozen=True)
class FailedUnlock:
    login: str
    at: str  # when the attempt was made (local ISO time)


@dataclass
class AccessReport:
    year: int
    month: int
    users: list[UserAccess] = field(default_factory=list)
    alerts: list[policy.Alert] = field(default_factory=list)
    exports: list[ExportRecord] = field(default_factory=list)
    failed_unlocks: list[FailedUnlock] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.label,
            "users": [vars(u) for u in self.users],
            "alerts": [vars(a) for a in self.alerts],
            "exports": [vars(e) for e in self.exports],
            "failed_unlocks": [vars(f) for f in self.failed_unlocks],
        }


def parse_month(text: str) -> tuple[int, int]:
    try:
        when = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError as exc:
        raise InputError(
            "report.month_invalid",
            f"月「{text}」は YYYY-MM で指定してください",
            f"Give the month as YYYY-MM, not '{text}'",
        ) from exc
    return when.year, when.month


def access_report(store: Store, year: int, month: int) -> AccessReport:
    store.require_admin("audit.report")
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise InputError("report.month_invalid", "月が正しくありません", "Invalid month")
    label = f"{year:04d}-{month:02d}"
    start = f"{label}-01"
    end = f"{year + month // 12:04d}-{month % 12 + 1:02d}-01"
    report = AccessReport(year, month)
    people = {
        str(r["login"]): (str(r["display_name"]), str(r["role"]) if r["active"] else "")
        for r in store.query("SELECT login, display_name, role, active FROM users")
    }
    by_user: dict[str, UserAccess] = {}

    def user(login: str) -> UserAccess:
        if login not in by_user:
            name, role = people.get(login, (login, ""))
            by_user[login] = UserAccess(login, name, role)
        return by_user[login]

    for row in store.query(
        "SELECT actor, kind, count(*) AS n FROM student_access WHERE month = ? GROUP BY actor, kind", (label,)
    ):
        entry = user(str(row["actor"]))
        if row["kind"] == "read":
            entry.students_read = int(row["n"])
        else:
            entry.students_exported = int(row["n"])
    for row in store.query(
        "SELECT at, actor, action, detail FROM audit_log WHERE at >= ? AND at < ? "
        "AND action IN ('students.read', 'export.write', 'policy.refused') ORDER BY seq",
        (start, end),
    ):
        entry = user(str(row["actor"]))
        detail = json.loads(row["detail"])
        if row["action"] == "students.read":
            entry.views += 1
        elif row["action"] == "policy.refused":
            entry.refusals += 1
        else:
            entry.export_files += 1
            report.exports.append(
                ExportRecord(
                    str(row["at"]), str(row["actor"]), str(detail.get("kind", "")), str(detail.get("file", "")),
                    str(detail.get("destination", "")), str(detail.get("recipient", "")),
                    int(detail.get("rows", 0)), int(detail.get("students", 0)), str(detail.get("reason", "")),
                )
            )
    # failed unlocks are written to the log at the next successful unlock, with their own time
    for row in store.query(
        "SELECT detail FROM audit_log WHERE action = 'unlock.failed' AND at >= ? ORDER BY seq", (start,)
    ):
        detail = json.loads(row["detail"])
        at = datetime.fromtimestamp(float(detail.get("at_epoch", 0))).astimezone()
        if (at.year, at.month) == (year, month):
            report.failed_unlocks.append(FailedUnlock(str(detail.get("login", "")), at.isoformat(timespec="seconds")))
    report.alerts = policy.alerts_between(store, start, end)
    report.users = sorted(by_user.values(), key=lambda u: (-u.students_read - u.students_exported, u.login))
    store.audit("audit.report", month=label)
    return report
