import { spawn, type ChildProcess } from "node:child_process";
import { nodeTsx, ROOT } from "./run-process.ts";

export interface BotProcess {
  child: ChildProcess;
  /** Everything the bot logged so far (pino JSON lines on stderr). */
  logs(): string;
  /** Waits, bounded, until a log line contains `text`. */
  waitForLog(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the process ends by itself, with its exit code (bounded: SIGKILLed after timeoutMs). */
  exited(timeoutMs?: number): Promise<{ code: number | null }>;
  /** Sends a signal and resolves with the exit code (null when it had to be SIGKILLed after timeoutMs). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null }>;
}

/** Starts the real bot exactly as `npm start` does (tsx src/main.ts), with the given environment. */
export function startBot(env: Record<string, string>): BotProcess {
  const child = spawn(...nodeTsx("src/main.ts"), { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "info", SNAPSHOT_DIR: "off", DATABASE_PATH: ":memory:", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logs: () => output,
    waitForLog(text, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!output.includes(text)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`bot did not log "${text}" within ${timeoutMs} ms. Output:\n${output}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async exited(timeoutMs = 30_000) {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code };
    },
    async stop(signal = "SIGTERM", timeoutMs = 10_000) {
      if (child.exitCode !== null) return { code: child.exitCode };
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code };
    },
  };
}
