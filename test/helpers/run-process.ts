import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** A script run as `npm start` runs it: one node process with tsx's loader, so a signal reaches the script itself. */
export function nodeTsx(script: string): [string, string[]] {
  return [process.execPath, ["--import", "tsx", script]];
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command from the project root to completion with the given stdin, killing it (and failing) if it
 * outlives the timeout. The environment is the caller's minus anything that would change the bot's mode.
 */
export function run(command: string, args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Finished> {
  const env: Record<string, string | undefined> = { ...process.env, DISCORD_TOKEN: "", CORPUS_PATH: "", LOG_LEVEL: "", DATABASE_PATH: ":memory:", SNAPSHOT_DIR: "off", ...options.env };
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish in ${options.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
