import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { MobileIdError } from "@mobile-id/core";

/** Reads all of stdin as UTF-8. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A text input given as an argument, as `--file FILE`, or on stdin (argument `-` or none at all when stdin is
 * not a terminal). Surrounding whitespace is removed.
 */
export async function readTextInput(arg: string | undefined, file: string | undefined, what: string): Promise<string> {
  let text: string;
  if (file !== undefined) text = readFileSync(file, "utf8");
  else if (arg !== undefined && arg !== "-") text = arg;
  else if (arg === "-" || !process.stdin.isTTY) text = await readStdin();
  else throw new MobileIdError("INVALID_ARGUMENT", `no ${what} given`, { hint: `pass the ${what} as an argument, with --file FILE, or on stdin` });
  const trimmed = text.trim();
  if (trimmed === "") throw new MobileIdError("INVALID_ARGUMENT", `the ${what} is empty`);
  return trimmed;
}

/** Asks a question on the terminal; `hidden` does not echo (passphrases). */
export async function ask(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    // Replace echoed characters: readline writes through _writeToOutput.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stderr.write(question);
    };
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    if (hidden) process.stderr.write("\n");
  }
}

/**
 * The wallet passphrase: `--passphrase-file`, env `MID_WALLET_PASSPHRASE`, or a hidden prompt on a terminal.
 */
export async function passphraseFrom(file: string | undefined, prompt = "wallet passphrase: "): Promise<string> {
  if (file !== undefined) return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  const env = process.env["MID_WALLET_PASSPHRASE"];
  if (env !== undefined && env !== "") return env;
  if (process.stdin.isTTY) return ask(prompt, true);
  throw new MobileIdError("INVALID_ARGUMENT", "no wallet passphrase", {
    hint: "set MID_WALLET_PASSPHRASE, pass --passphrase-file FILE, or run in a terminal",
  });
}
