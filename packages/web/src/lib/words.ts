/**
 * Plain-language text for what the network reports: verification codes (why a verifier said no), claim names,
 * status-change reasons and governance actions, in Korean and English. Pure data, no DOM.
 */
import type { Lang } from "./i18n.ts";

type Pair = { readonly ko: string; readonly en: string };

/** Every `VerificationCode` of `@mobile-id/core`, as a sentence a person at a counter understands. */
export const VERIFICATION_SENTENCES: Readonly<Record<string, Pair>> = {
  MALFORMED: { ko: "제출된 내용이 올바른 형식이 아닙니다.", en: "What was sent is not in the right format." },
  UNSUPPORTED_ALGORITHM: { ko: "허용되지 않는 서명 방식입니다.", en: "It is signed with a method that is not allowed." },
  TOO_LARGE: { ko: "제출된 내용이 너무 큽니다.", en: "What was sent is too large." },
  SIGNATURE_INVALID: { ko: "서명이 맞지 않습니다. 위조되었거나 변경되었을 수 있습니다.", en: "The signature does not match: it may be forged or altered." },
  HOLDER_MISMATCH: { ko: "제시한 사람이 신분증의 소지자가 아닙니다.", en: "The person presenting is not the card's holder." },
  CHALLENGE_MISMATCH: { ko: "이 창구의 요청에 대한 응답이 아닙니다.", en: "This answer is not for this counter's request." },
  DOMAIN_MISMATCH: { ko: "다른 곳을 위해 만든 제시입니다.", en: "This presentation was made for someone else." },
  REPLAYED: { ko: "이미 사용된 요청입니다. 새 QR 코드로 다시 시도하세요.", en: "This request was already used. Try again with a new QR code." },
  EXPIRED: { ko: "신분증 또는 제시의 유효기간이 지났습니다.", en: "The card or the presentation has expired." },
  NOT_YET_VALID: { ko: "아직 유효기간이 시작되지 않았습니다.", en: "It is not valid yet." },
  DID_DEACTIVATED: { ko: "소지자 또는 발급기관의 식별자가 비활성화되었습니다.", en: "The holder's or issuer's identifier has been deactivated." },
  DID_INVALID: { ko: "이 네트워크의 식별자가 아닙니다.", en: "The identifier does not belong to this network." },
  ISSUER_NOT_ACCREDITED: { ko: "발급기관이 이 신분증을 발급할 인가를 받지 않았습니다.", en: "The issuer is not accredited to issue this card." },
  ISSUER_SUSPENDED: { ko: "발급기관의 인가가 정지되었습니다.", en: "The issuer's accreditation is suspended." },
  ISSUER_REVOKED: { ko: "발급기관의 인가가 취소되었습니다.", en: "The issuer's accreditation has been revoked." },
  TYPE_NOT_ACCEPTED: { ko: "이 창구에서 받지 않는 종류의 신분증입니다.", en: "This counter does not accept this kind of card." },
  CREDENTIAL_REVOKED: { ko: "발급기관이 이 신분증을 폐지했습니다.", en: "The issuer has revoked this card." },
  CREDENTIAL_SUSPENDED: { ko: "발급기관이 이 신분증을 일시 정지했습니다.", en: "The issuer has suspended this card." },
  STATUS_INVALID: { ko: "신분증의 상태 정보를 확인할 수 없습니다.", en: "The card's status information cannot be checked." },
  SCHEMA_INVALID: { ko: "신분증의 항목이 등록된 양식과 맞지 않습니다.", en: "The card's items do not match its registered form." },
  CLAIM_WITHHELD: { ko: "요청한 항목이 공개되지 않았습니다.", en: "An item that was asked for was not shared." },
  LEDGER_UNAVAILABLE: { ko: "원장을 확인할 수 없어 거부했습니다. 잠시 후 다시 시도하세요.", en: "The ledger could not be checked, so it was refused. Try again shortly." },
  DID_TOO_COMPLEX: { ko: "식별자의 키가 너무 많아 확인하지 않고 거부했습니다.", en: "The identifier has too many keys to check, so it was refused." },
  TIME_BUDGET_EXCEEDED: { ko: "확인이 제한 시간 안에 끝나지 않아 거부했습니다.", en: "The check did not finish in time, so it was refused." },
  DCQL_MISMATCH: { ko: "제출된 신분증이 요청한 내용과 맞지 않습니다.", en: "What was shared does not answer what was asked for." },
  UNREQUESTED_CREDENTIAL: { ko: "요청하지 않은 신분증이 함께 제출되었습니다.", en: "A card that was not asked for was shared as well." },
  UNREQUESTED_CLAIM: { ko: "요청하지 않은 정보가 함께 제출되었습니다.", en: "Information that was not asked for was shared as well." },
  STATE_MISMATCH: { ko: "다른 요청에 대한 응답입니다.", en: "This answer belongs to another request." },
};

const UNKNOWN_REASON: Pair = { ko: "확인하지 못했습니다.", en: "It could not be verified." };

/** The sentence for a verification code (an unknown code still gets a sentence, and its code is shown beside). */
export function verificationSentence(code: string | undefined, lang: Lang): string {
  return (code === undefined ? UNKNOWN_REASON : (VERIFICATION_SENTENCES[code] ?? UNKNOWN_REASON))[lang];
}

/** Names of the claims in the four credential types' schemas. Unknown claims show their property name. */
export const CLAIM_LABELS: Readonly<Record<string, Pair>> = {
  familyName: { ko: "성", en: "Family name" },
  givenName: { ko: "이름", en: "Given name" },
  birthDate: { ko: "생년월일", en: "Date of birth" },
  studentNumber: { ko: "학번", en: "Student number" },
  institution: { ko: "학교", en: "Institution" },
  department: { ko: "학과", en: "Department" },
  degreeLevel: { ko: "과정", en: "Level" },
  enrollmentStatus: { ko: "학적 상태", en: "Enrolment" },
  employeeNumber: { ko: "공무원 번호", en: "Employee number" },
  agency: { ko: "소속 기관", en: "Agency" },
  position: { ko: "직위", en: "Position" },
  grade: { ko: "급", en: "Grade" },
  licenseNumber: { ko: "면허 번호", en: "Licence number" },
  licenseClasses: { ko: "면허 종류", en: "Licence classes" },
  conditions: { ko: "조건", en: "Conditions" },
  address: { ko: "주소", en: "Address" },
  photoDigest: { ko: "사진 해시", en: "Photo digest" },
  portrait: { ko: "사진", en: "Photo" },
  // The SD-JWT VC records' own items (the console's "hand over to the phone" form).
  englishName: { ko: "영문 이름", en: "Name in English" },
  residentRegistrationNumber: { ko: "주민등록번호", en: "Resident registration number" },
  issueDate: { ko: "발급일", en: "Issued on" },
  aptitudeTestFrom: { ko: "적성검사 시작일", en: "Aptitude test from" },
  aptitudeTestUntil: { ko: "적성검사 마감일", en: "Aptitude test due by" },
  renewalDate: { ko: "갱신일", en: "Renewal date" },
  rankTrack: { ko: "직종", en: "Service" },
  rankTitle: { ko: "직급", en: "Rank" },
  // SD-JWT VC age claims.
  age_in_years: { ko: "나이", en: "Age" },
  age_birth_year: { ko: "출생 연도", en: "Year of birth" },
};

/** Values of enumerated claims. */
export const CLAIM_VALUES: Readonly<Record<string, Pair>> = {
  enrolled: { ko: "재학", en: "Enrolled" },
  leaveOfAbsence: { ko: "휴학", en: "On leave" },
  on_leave: { ko: "휴학", en: "On leave" },
  graduated: { ko: "졸업", en: "Graduated" },
  elementary: { ko: "초등", en: "Elementary" },
  middle: { ko: "중등", en: "Middle school" },
  high: { ko: "고등", en: "High school" },
  associate: { ko: "전문학사", en: "Associate" },
  bachelor: { ko: "학사", en: "Bachelor" },
  master: { ko: "석사", en: "Master" },
  doctoral: { ko: "박사", en: "Doctoral" },
};

export function claimLabel(name: string, lang: Lang): string {
  return CLAIM_LABELS[name]?.[lang] ?? name.replace(/([a-z])([A-Z])/g, "$1 $2");
}

/** A claim value as text: enums translated, arrays joined, dates left as written. */
export function claimValue(value: unknown, lang: Lang): string {
  if (Array.isArray(value)) return value.map((v) => claimValue(v, lang)).join(", ");
  if (typeof value === "string") return CLAIM_VALUES[value]?.[lang] ?? value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Reason codes of status and accreditation changes (`ReasonCode` of `@mobile-id/core`). */
export const REASON_LABELS: Readonly<Record<string, Pair>> = {
  GRANTED: { ko: "인가", en: "Granted" },
  RENEWED: { ko: "갱신", en: "Renewed" },
  KEY_COMPROMISE: { ko: "열쇠 유출", en: "Key compromise" },
  DEVICE_LOST: { ko: "기기 분실", en: "Device lost" },
  MISCONDUCT: { ko: "부정 행위", en: "Misconduct" },
  ADMINISTRATIVE: { ko: "행정 조치", en: "Administrative" },
  SUPERSEDED: { ko: "재발급으로 대체", en: "Superseded" },
  CESSATION: { ko: "자격 종료", en: "Cessation" },
  REVIEW_CLEARED: { ko: "검토 후 해제", en: "Review cleared" },
  REQUESTED_BY_HOLDER: { ko: "소지자 요청", en: "Requested by holder" },
  GRADUATION: { ko: "졸업", en: "Graduation" },
  AUDIT_FINDING: { ko: "감사 지적", en: "Audit finding" },
};

export function reasonLabel(name: string, lang: Lang): string {
  return REASON_LABELS[name]?.[lang] ?? name;
}

/** Accreditation states as the auditor and the issuer API name them. */
export const STATE_LABELS: Readonly<Record<string, Pair>> = {
  Active: { ko: "유효", en: "Active" },
  Suspended: { ko: "정지", en: "Suspended" },
  Revoked: { ko: "취소", en: "Revoked" },
  Expired: { ko: "만료", en: "Expired" },
  Pending: { ko: "시작 전", en: "Pending" },
  None: { ko: "없음", en: "None" },
};

export function stateLabel(name: string, lang: Lang): string {
  return STATE_LABELS[name]?.[lang] ?? name;
}

/** Governance actions of the auditor's report. */
export const ACTION_LABELS: Readonly<Record<string, Pair>> = {
  RootTransferred: { ko: "루트 이전", en: "Root transferred" },
  RootTransferStarted: { ko: "루트 이전 시작", en: "Root transfer started" },
  RootTransferCanceled: { ko: "루트 이전 취소", en: "Root transfer cancelled" },
  AccreditationChanged: { ko: "인가 변경", en: "Accreditation changed" },
  PartyRegistered: { ko: "참여자 등록", en: "Party registered" },
  CredentialTypeRegistered: { ko: "신분증 종류 등록", en: "Credential type registered" },
  CredentialTypeDeprecated: { ko: "신분증 종류 폐기", en: "Credential type deprecated" },
  KeyRotated: { ko: "열쇠 교체", en: "Key rotated" },
  AccreditationGranted: { ko: "인가", en: "Accredited" },
  AccreditationRenewed: { ko: "인가 갱신", en: "Accreditation renewed" },
  AccreditationSuspended: { ko: "인가 정지", en: "Accreditation suspended" },
  AccreditationReinstated: { ko: "인가 복원", en: "Accreditation reinstated" },
  AccreditationRevoked: { ko: "인가 취소", en: "Accreditation revoked" },
};

export function actionLabel(name: string, lang: Lang): string {
  return ACTION_LABELS[name]?.[lang] ?? name.replace(/([a-z])([A-Z])/g, "$1 $2");
}
