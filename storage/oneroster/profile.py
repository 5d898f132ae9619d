"""OneRoster 1.2 CSV column tables (base 1.2 and 1.2.1) and the Japan Profile variants.

The tables follow 1EdTech's "CSV tables" (copies in ``../shared/specs/oneroster/``): every
file's columns in spec order, ``!`` marking a required column. ``status`` and
``dateLastModified`` are required only in delta mode and must be empty in bulk mode.
Japan Profile ``metadata.jp.*`` columns come at the right-hand end, per variant.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.errors import InputError

# The 21 files in the order of the manifest table.
FILES: tuple[str, ...] = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
)

_COMMON = "sourcedId!,status,dateLastModified,"
_BASE_121: dict[str, str] = {
    "academicSessions": "title!,type!,startDate!,endDate!,parentSourcedId,schoolYear!",
    "categories": "title!,weight",
    "classes": "title!,grades,courseSourcedId!,classCode,classType!,location,schoolSourcedId!,termSourcedIds!,"
    "subjects,subjectCodes,periods",
    "classResources": "title,classSourcedId!,resourceSourcedId!",
    "courses": "schoolYearSourcedId,title!,courseCode,grades,orgSourcedId!,subjects,subjectCodes",
    "courseResources": "title,courseSourcedId!,resourceSourcedId!",
    "demographics": "birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,"
    "nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,"
    "countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
    "enrollments": "classSourcedId!,schoolSourcedId!,userSourcedId!,role!,primary,beginDate,endDate",
    "lineItemLearningObjectiveIds": "lineItemSourcedId!,source!,learningObjectiveId!",
    "lineItems": "title!,description,assignDate!,dueDate!,classSourcedId!,categorySourcedId!,"
    "academicSessionSourcedId!,resultValueMin,resultValueMax,schoolSourcedId!",
    "lineItemScoreScales": "title,lineItemSourcedId!,scoreScaleSourcedId!",
    "orgs": "name!,type!,identifier,parentSourcedId",
    "resources": "vendorResourceId!,title,roles,importance,vendorId,applicationId",
    "resultLearningObjectiveIds": "resultSourcedId!,source!,learningObjectiveId!,score,textScore",
    "results": "lineItemSourcedId!,studentSourcedId!,scoreStatus!,score,scoreDate!,comment,textScore,"
    "classSourcedId,inProgress,incomplete,late,missing",
    "resultScoreScales": "title,resultSourcedId!,scoreScaleSourcedId!",
    "roles": "userSourcedId!,roleType!,role!,beginDate,endDate,orgSourcedId!,userProfileSourcedId",
    "scoreScales": "title!,type!,orgSourcedId!,courseSourcedId!,classSourcedId!,scoreScaleValue!",
    "userProfiles": "userSourcedId!,profileType!,vendorId!,applicationId,description,credentialType!,username!,"
    "password",
    "userResources": "userSourcedId!,orgSourcedId,classSourcedId,resourceSourcedId!",
    "users": "enabledUser!,username!,userIds,givenName!,familyName!,middleName,identifier,email,sms,phone,"
    "agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,"
    "preferredFamilyName,primaryOrgSourcedId,pronouns",
}
# 1.2 differs only in users.csv: resourceSourcedIds after userMasterIdentifier.
_BASE_12 = dict(_BASE_121)
_BASE_12["users"] = _BASE_121["users"].replace(
    "userMasterIdentifier,", "userMasterIdentifier,resourceSourcedIds,"
)

# Reference columns: (file, column) → the file whose sourcedIds it must name.
REFERENCES: dict[tuple[str, str], str] = {
    ("academicSessions", "parentSourcedId"): "academicSessions",
    ("classes", "courseSourcedId"): "courses",
    ("classes", "schoolSourcedId"): "orgs",
    ("classes", "termSourcedIds"): "academicSessions",
    ("courses", "schoolYearSourcedId"): "academicSessions",
    ("courses", "orgSourcedId"): "orgs",
    ("demographics", "sourcedId"): "users",
    ("enrollments", "classSourcedId"): "classes",
    ("enrollments", "schoolSourcedId"): "orgs",
    ("enrollments", "userSourcedId"): "users",
    ("orgs", "parentSourcedId"): "orgs",
    ("roles", "userSourcedId"): "users",
    ("roles", "orgSourcedId"): "orgs",
    ("users", "agentSourcedIds"): "users",
    ("users", "primaryOrgSourcedId"): "orgs",
    ("users", "metadata.jp.homeClass"): "classes",
}
LIST_COLUMNS = frozenset({"termSourcedIds", "agentSourcedIds", "grades", "subjects", "subjectCodes", "periods"})

_KANA_11 = "metadata.jp.kanaGivenName,metadata.jp.kanaFamilyName,metadata.jp.kanaMiddleName,metadata.jp.homeClass"
_KANA_12 = (
    _KANA_11 + ",metadata.jp.kanaPreferredFamilyName,metadata.jp.kanaPreferredGivenName,"
    "metadata.jp.kanaPreferredMiddleName"
)


@dataclass(frozen=True)
class Variant:
    key: str
    title: str
    oneroster_version: str
    base: dict[str, str]
    metadata: dict[str, str]  # file → extra right-hand columns
    shusseki_no: str  # enrollment metadata column names
    public_flg: str

    def columns(self, file: str) -> tuple[str, ...]:
        """The header of ``file`` in this variant, in order."""
        spec = _COMMON + self.base[file]
        extra = self.metadata.get(file, "")
        names = [c.rstrip("!") for c in spec.split(",")]
        return tuple(names + (extra.split(",") if extra else []))

    def required(self, file: str) -> frozenset[str]:
        return frozenset(c.rstrip("!") for c in (_COMMON + self.base[file]).split(",") if c.endswith("!"))


VARIANTS: dict[str, Variant] = {
    "jp-1.2.1": Variant(
        "jp-1.2.1",
        "OneRoster Japan Profile 1.2.1 / 学習eポータル標準 4.00",
        "1.2",
        _BASE_121,
        {
            "users": _KANA_12,
            "classes": "metadata.jp.specialNeeds",
            "enrollments": "metadata.jp.ShussekiNo,metadata.jp.PublicFlg",
        },
        "metadata.jp.ShussekiNo",
        "metadata.jp.PublicFlg",
    ),
    "jp-1.1": Variant(
        "jp-1.1",
        "OneRoster Japan Profile 1.1 / 学習eポータル標準 3.00",
        "1.2",
        _BASE_12,
        {
            "users": _KANA_11,
            "classes": "metadata.jp.specialNeeds",
            "enrollments": "metadata.jp.ShussekiNo,metadata.jp.PublicFlg",
        },
        "metadata.jp.ShussekiNo",
        "metadata.jp.PublicFlg",
    ),
    "k12-1.0": Variant(
        "k12-1.0",
        "OneRoster Japan K-12 Schools Profile 1.0 (2026)",
        "1.2_JP",
        _BASE_121,
        {
            "users": _KANA_12,
            "classes": "metadata.jp.specialNeeds",
            "enrollments": "metadata.jp.shussekiNo,metadata.jp.publicFlg",
        },
        "metadata.jp.shussekiNo",
        "metadata.jp.publicFlg",
    ),
}
DEFAULT_VARIANT = "jp-1.2.1"

# Value vocabularies used by the builder and checked by the validator.
GRADES = frozenset({f"P{n}" for n in range(1, 7)} | {f"J{n}" for n in range(1, 4)})
ORG_TYPES = frozenset({"department", "school", "district", "local", "state", "national"})
SESSION_TYPES = frozenset({"gradingPeriod", "semester", "schoolYear", "term"})
ENROLLMENT_ROLES = frozenset({"administrator", "proctor", "student", "teacher"})
ROLE_ROLES = frozenset(
    {"districtAdministrator", "guardian", "principal", "siteAdministrator", "student", "teacher"}
)
ROLE_TYPES = frozenset({"primary", "secondary"})
SEXES = frozenset({"male", "female", "unspecified", "other"})
CLASS_TYPES = frozenset({"homeroom", "scheduled"})
BOOLEANS = frozenset({"true", "false"})


def get_variant(key: str) -> Variant:
    found = VARIANTS.get(key)
    if found is None:
        choices = ", ".join(VARIANTS)
        raise InputError(
            "oneroster.variant_unknown",
            f"OneRoster のプロファイル「{key}」はありません({choices})",
            f"Unknown OneRoster profile variant '{key}' ({choices})",
        )
    return found
