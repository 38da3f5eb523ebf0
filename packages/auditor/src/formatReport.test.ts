import { describe, expect, it } from "vitest";
import { type StatusActivityReport, type ConsistencyReport, formatReport, reportTable } from "./index.ts";
import { displayWidth } from "./internal/text.ts";

const header = { network: { name: "test", chainId: 31337 }, atBlock: 42, atBlockTimestamp: 1_767_225_600, atBlockTime: "2026-01-01T00:00:00Z" };
const ISSUER_A = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const ISSUER_B = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
const ISSUER_C = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";

const activity = (names: readonly string[]): StatusActivityReport => ({
  kind: "statusActivity",
  ...header,
  fromBlock: 0,
  utcOffsetMinutes: 0,
  timeZone: "UTC+00:00",
  issuer: null,
  rows: names.map((issuerName, i) => ({
    day: "2026-01-01",
    issuer: [ISSUER_A, ISSUER_B, ISSUER_C][i % 3]!,
    issuerName,
    revoked: 10 ** i,
    suspended: i,
    reinstated: 0,
    unchanged: 0,
    events: 1,
  })),
  totals: { revoked: 0, suspended: 0, reinstated: 0, unchanged: 0, events: 0 },
  lists: [],
});

describe("formatReport csv", () => {
  it("quotes names with commas, quotes and line breaks (RFC 4180)", () => {
    const csv = formatReport({ report: activity(['부산대학교 "Pusan", National University', "Line\nbreak", "Plain"]), format: "csv" });
    expect(csv).toBe(
      [
        "day,issuer,issuer name,revoked,suspended,reinstated,unchanged,events",
        `2026-01-01,${ISSUER_A},"부산대학교 ""Pusan"", National University",1,0,0,0,1`,
        `2026-01-01,${ISSUER_B},"Line\nbreak",10,1,0,0,1`,
        `2026-01-01,${ISSUER_C},Plain,100,2,0,0,1`,
        "",
      ].join("\n"),
    );
  });

  it("guards cells a spreadsheet would run as formulas, unless told not to", () => {
    const report = activity(['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "-1+2"]);
    const lines = formatReport({ report, format: "csv" }).split("\n");
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(lines[2]).toContain(",'@SUM(A1),");
    expect(lines[3]).toContain(",'-1+2,");
    const raw = formatReport({ report, format: "csv", csvFormulaGuard: false }).split("\n");
    expect(raw[1]).toContain(`,"=HYPERLINK(""http://evil.example"",""x"")",`);
  });
});

describe("formatReport json", () => {
  it("is the report itself, indented, with every field", () => {
    const report = activity(["서울대학교 Seoul National University"]);
    const text = formatReport({ report, format: "json" });
    expect(JSON.parse(text)).toEqual(report);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      "kind",
      "network",
      "atBlock",
      "atBlockTimestamp",
      "atBlockTime",
      "fromBlock",
      "utcOffsetMinutes",
      "timeZone",
      "issuer",
      "rows",
      "totals",
      "lists",
    ]);
    expect(text.startsWith('{\n  "kind": "statusActivity",')).toBe(true);
  });
});

describe("formatReport table", () => {
  it("aligns columns by display width, Korean names included", () => {
    const text = formatReport({ report: activity(["서울대학교 Seoul National University", "KAIST", "종로구청"]), format: "table" });
    const lines = text.split("\n");
    const headerLine = lines.findIndex((l) => l.startsWith("day "));
    const tableLines = lines.slice(headerLine, headerLine + 5);
    // The "revoked" column starts at the same terminal column on every line.
    const col = (line: string, needle: string) => displayWidth(line.slice(0, line.indexOf(needle, 60)));
    const start = col(tableLines[0]!, "revoked");
    expect(col(tableLines[2]!, "1 "), "row 1").toBe(start);
    expect(col(tableLines[3]!, "10 "), "row 2").toBe(start);
    expect(col(tableLines[4]!, "100 "), "row 3").toBe(start);
    expect(displayWidth("서울대학교")).toBe(10);
  });

  it("shows control characters and bidi overrides as visible escapes", () => {
    const text = formatReport({ report: activity(["Evil\u001b[2J\u202eName"]), format: "table" });
    expect(text).toContain("Evil\\u{1b}[2J\\u{202e}Name");
    expect(text).not.toContain("\u001b");
  });

  it("says when there are no rows, and prints the summary", () => {
    const report: ConsistencyReport = {
      kind: "consistency",
      ...header,
      consistent: true,
      eventsToBlock: 42,
      eventCount: 7,
      checked: { roots: 1, parties: 1, credentialTypes: 0, accreditations: 0, historyEntries: 0, lists: 0, operators: 0, records: 2, words: 0 },
      mismatches: [],
      summary: "consistent: 2 records, 0 words checked at block 42",
    };
    const text = formatReport({ report, format: "table" });
    expect(text).toContain("(no rows)");
    expect(text.trimEnd().endsWith("consistent: 2 records, 0 words checked at block 42")).toBe(true);
    expect(formatReport({ report, format: "csv" })).toBe("subject,key,field,from events,on chain,detail\n");
    expect(reportTable(report).columns).toHaveLength(6);
  });
});
