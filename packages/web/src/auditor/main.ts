/**
 * The auditor dashboard, read-only, from the auditor API (events and contract state read at one block): the
 * accreditation tree with states, the governance timeline, revocation and suspension activity per issuer, and the
 * consistency check. One store holds what was read; the panels (`tree.ts`, `panels.ts`) draw it.
 */
import "../lib/style.css";
import { api } from "../lib/api.ts";
import { type Child, h } from "../lib/dom.ts";
import { formatDateTime, t } from "../lib/i18n.ts";
import { describeError, errorBox, page, statusLine } from "../lib/layout.ts";
import { createStore } from "../lib/store.ts";
import { credentialTypes } from "../lib/types.ts";
import { eventsView, loadEvents } from "./events.ts";
import { activityView, consistencyView, timelineView } from "./panels.ts";
import type { ActivityReport, AuditorState, ConsistencyReport, GovernanceReport, InForceReport } from "./reports.ts";
import { treeView } from "./tree.ts";

const store = createStore<AuditorState>({
  inForce: [],
  governance: undefined,
  activity: undefined,
  consistency: undefined,
  checking: false,
  loading: true,
  error: undefined,
  typeTitles: new Map(),
  events: undefined,
  allEvents: undefined,
  eventFilters: { category: "", actor: "", type: "", from: "", to: "" },
  eventsLoading: false,
});

async function load(): Promise<void> {
  store.set({ loading: true, error: undefined });
  try {
    const types = await credentialTypes();
    const [inForce, governance, activity] = await Promise.all([
      Promise.all(types.map((x) => api<InForceReport>(`/auditor/types/${encodeURIComponent(x.name)}/in-force`))),
      api<GovernanceReport>("/auditor/governance"),
      api<ActivityReport>(`/auditor/activity?utcOffsetMinutes=${-new Date().getTimezoneOffset()}`),
    ]);
    store.set({ inForce, governance, activity, typeTitles: new Map(types.map((x) => [x.name, x.title])) });
  } catch (e) {
    store.set({ error: describeError(e) });
  }
  store.set({ loading: false, allEvents: undefined });
  void loadEvents(store, { category: "", actor: "", type: "", from: "", to: "" });
  void runCheck();
}

async function runCheck(): Promise<void> {
  store.set({ checking: true });
  try {
    store.set({ consistency: await api<ConsistencyReport>("/auditor/consistency") });
  } catch (e) {
    store.set({ error: describeError(e) });
  }
  store.set({ checking: false });
}

function view(s: AuditorState): Child {
  const g = s.governance;
  return [
    h("h1", null, t("auditorTitle")),
    g === undefined ? null : h("p", { class: "lead" }, t("auditorAtBlock", { block: g.atBlock, time: formatDateTime(g.atBlockTimestamp) })),
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "refresh", onclick: () => void load() }, t("auditorRefresh"))),
    statusLine(s.loading ? t("loading") : undefined, "auditor-loading"),
    errorBox(s.error),
    treeView(s),
    eventsView(s, store),
    activityView(s),
    consistencyView(s, runCheck),
    timelineView(s),
  ];
}

const ui = page({ title: "auditorTitle", view: () => view(store.get()) });
store.subscribe(ui.update);
void load();
