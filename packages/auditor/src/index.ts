/**
 * @mobile-id/auditor: what an auditor reads from the trust ledger, from events and contract state only (the
 * ledger holds no holder data). Open a checked ledger with {@link openLedger}, then make reports and render
 * them with {@link formatReport}.
 */
export { AuditorError, AuditorErrorCode } from "./errors.ts";
export type { AuditProgress, ProgressListener } from "./progress.ts";
export { type AuditLedger, type OpenLedgerParameters, openLedger } from "./openLedger.ts";
export type { PartyRef, ReportHeader } from "./reportHeader.ts";
export {
  ACCREDITATION_STATUSES,
  type AccreditationChangedEvent,
  type AccreditationStatusName,
  CONTRACT_EVENTS,
  type CredentialTypeDeprecatedEvent,
  type CredentialTypeRegisteredEvent,
  type DidOwnerChangedEvent,
  type EventSource,
  LIST_PURPOSES,
  type LedgerEvent,
  type LedgerEventName,
  type ListPurpose,
  type LogPosition,
  PARTY_ROLES,
  type PartyRegisteredEvent,
  type RelyingPartyChangedEvent,
  type RelyingPartyClaimsSetEvent,
  type RelyingPartyRegisteredEvent,
  type PartyRoleName,
  type RootTransferCanceledEvent,
  type RootTransferStartedEvent,
  type RootTransferredEvent,
  type StatusEntryEvent,
  type StatusListCreatedEvent,
  type StatusListOperatorSetEvent,
  type StatusWordsEvent,
  compareEvents,
} from "./events.ts";
export { type ReadLedgerEventsParameters, type ReadLedgerEventsReturnType, readLedgerEvents } from "./readLedgerEvents.ts";
export type { AccreditationAction } from "./classifyAccreditationChanges.ts";
export {
  type AccreditationChange,
  type AccreditationHistoryReport,
  type GetAccreditationHistoryParameters,
  getAccreditationHistory,
} from "./getAccreditationHistory.ts";
export { type GetInForceParameters, type InForceEntry, type InForceReport, getInForce } from "./getInForce.ts";
export {
  GOVERNANCE_ACTIONS,
  type GetGovernanceChangesParameters,
  type GovernanceAction,
  type GovernanceChange,
  type GovernanceReport,
  getGovernanceChanges,
} from "./getGovernanceChanges.ts";
export {
  type GetStatusActivityParameters,
  type StatusActivityReport,
  type StatusActivityRow,
  type StatusActivityTotals,
  getStatusActivity,
} from "./getStatusActivity.ts";
export {
  type EventAnomaly,
  type LedgerState,
  type RebuildLedgerStateParameters,
  type RebuiltAccreditation,
  type RebuiltCredentialType,
  type RebuiltParty,
  type RebuiltRecord,
  type RebuiltStatusList,
  blocksNeedingTime,
  rebuildLedgerState,
} from "./rebuildLedgerState.ts";
export {
  EVENT_CATEGORIES,
  type EventCategory,
  type EventLogAction,
  type EventLogReport,
  type EventLogRow,
  type GetEventLogParameters,
  getEventLog,
} from "./getEventLog.ts";
export {
  type CheckConsistencyParameters,
  type ConsistencyMismatch,
  type ConsistencyReport,
  MISMATCH_SUBJECTS,
  type MismatchSubject,
  checkConsistency,
} from "./checkConsistency.ts";
export {
  type AuditReport,
  type FormatReportParameters,
  type ReportFormat,
  type ReportTable,
  formatReport,
  reportTable,
} from "./formatReport.ts";
