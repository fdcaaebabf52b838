import { connect, type AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { commandRunner } from "../../../src/app.ts";
import { Metrics } from "../../../src/ops/metrics.ts";
import { startOpsServer } from "../../../src/ops/ops-server.ts";
import { SearchEngine } from "../../../src/search/engine.ts";
import { paper } from "../../helpers/papers.ts";

const servers: Array<{ close: () => void }> = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

let port = 0;
/** Sends bytes as they are (fetch would refuse a broken request line) and resolves with the response. */
function rawRequest(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(bytes));
    let response = "";
    socket.on("data", (chunk) => (response += chunk.toString()));
    socket.on("end", () => resolve(response));
    socket.on("error", reject);
  });
}

async function opsServer(state: { ready: boolean }) {
  const metrics = new Metrics({ indexPapers: () => 2, shards: () => [{ id: 0, ready: state.ready }, { id: 1, ready: true }] }, { shards: "0,1" });
  const server = await startOpsServer({
    port: 0,
    host: "127.0.0.1",
    metrics,
    logger: pino({ level: "silent" }),
    readiness: () => ({ ready: state.ready, reasons: state.ready ? [] : ["gateway shard 0 is not connected"] }),
  });
  servers.push(server);
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return { metrics, get: (path: string) => fetch(base + path) };
}

describe("metrics and health", () => {
  it("counts interactions by command and outcome, with their latency", async () => {
    const state = { ready: true };
    const { metrics, get } = await opsServer(state);
    const papers = [paper({ title: "Diffusion one" }), paper({ title: "Graphs two" })];
    const runner = await commandRunner({ papers, problems: [], files: ["test"], duplicatesMerged: 0, loadMs: 1 }, { engine: new SearchEngine(papers), logger: pino({ level: "silent" }), observer: metrics });
    await runner.execute("search", { query: "diffusion" });
    await runner.execute("search", { query: "" });
    metrics.digest("posted");
    metrics.ingest("ok", { added: 3, updated: 1 });
    const response = await get("/metrics");
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('paperbot_interactions_total{command="search",outcome="ok",shards="0,1"} 1');
    expect(text).toContain('paperbot_interactions_total{command="search",outcome="user_error",shards="0,1"} 1');
    expect(text).toMatch(/paperbot_interaction_duration_seconds_count\{(?=[^}]*command="search")[^}]*\} 2\n/);
    expect(text).toContain('paperbot_digests_total{outcome="posted",shards="0,1"} 1');
    expect(text).toContain('paperbot_ingested_papers_total{change="added",shards="0,1"} 3');
    expect(text).toContain('paperbot_index_papers{shards="0,1"} 2');
    expect(text).toContain('paperbot_gateway_shard_ready{shard="0",shards="0,1"} 1');
    expect(text).toContain("paperbot_nodejs_eventloop_lag_seconds");
  });

  it("answers /healthz while alive, /readyz 503 with the reasons until ready, and nothing else", async () => {
    const state = { ready: false };
    const { get } = await opsServer(state);
    expect((await get("/healthz")).status).toBe(200);
    const notReady = await get("/readyz");
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, reasons: ["gateway shard 0 is not connected"] });
    state.ready = true;
    expect((await get("/readyz")).status).toBe(200);
    expect((await get("/")).status).toBe(404);
    expect((await get("/metrics/../secrets")).status).toBe(404);
    // A request line no URL parser accepts is answered 400, and the process lives on (review finding).
    expect(await rawRequest("GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
    expect((await get("/healthz")).status).toBe(200);
  });
});
