import { describe, expect, it } from "vitest";
import type { LedgerNode } from "@mobile-id/chain";
import { superviseLedgerNode } from "../../scripts/lib/superviseLedgerNode.ts";

/** A stand-in node whose process "dies" when `die` is called. */
function fakeNode(pid: number): LedgerNode & { die(): void; stopped: boolean } {
  let exit!: (code: number | string) => void;
  const exited = new Promise<number | string>((resolve) => (exit = resolve));
  const node = {
    url: "http://127.0.0.1:1",
    port: 1,
    pid,
    stateFile: "/dev/null",
    exited,
    stopped: false,
    die: () => exit("SIGKILL"),
    stop: async () => {
      node.stopped = true;
      exit(0);
      await exited;
    },
    kill: async () => exit("SIGKILL"),
  };
  return node;
}

const waitFor = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe("superviseLedgerNode", () => {
  it("restarts a node that died, logging it, and stops the current one cleanly", async () => {
    const first = fakeNode(1);
    const second = fakeNode(2);
    const log: string[] = [];
    const s = superviseLedgerNode({ node: first, restart: async () => second, backoffMs: 1, log: (l) => log.push(l) });
    first.die();
    await waitFor(() => s.current() === second);
    expect(s.restarts()).toBe(1);
    expect(log.join("\n")).toMatch(/exited unexpectedly \(SIGKILL\)[\s\S]*restarting the ledger node \(restart 1;[\s\S]*is back/);
    await s.stop();
    expect(second.stopped).toBe(true);
  });

  it("gives up after maxRestarts within the window, and retries a restart that fails", async () => {
    let made = 0;
    const nodes: ReturnType<typeof fakeNode>[] = [];
    const s = superviseLedgerNode({
      node: fakeNode(0),
      restart: async () => {
        made++;
        if (made === 1) throw new Error("port in use");
        const n = fakeNode(made);
        nodes.push(n);
        setTimeout(() => n.die(), 1); // dies at once, every time
        return n;
      },
      maxRestarts: 3,
      windowMs: 60_000,
      backoffMs: 1,
      log: () => undefined,
    });
    (s.current() as ReturnType<typeof fakeNode>).die();
    expect(await s.gaveUp).toMatch(/died 4 times within 60 s/);
    expect(made).toBe(3);
    expect(nodes.length).toBe(2);
    expect(s.current()).toBeUndefined();
  });
});
