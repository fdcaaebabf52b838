import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import type { Metrics } from "./metrics.ts";

/** Whether this process should get traffic, and if not, why (shown in /readyz's body). */
export type Readiness = () => { ready: boolean; reasons: string[] };

/**
 * The operations port (METRICS_PORT): `/metrics` for Prometheus, `/healthz` (the process answers: live)
 * and `/readyz` (index loaded and gateway connected: ready) for an orchestrator. Nothing else is served
 * there, and nothing of this is served anywhere else.
 */
export async function startOpsServer(options: { port: number; host: string; metrics: Metrics; readiness: Readiness; logger: Logger }): Promise<Server> {
  const { metrics, readiness, logger } = options;
  const server = createServer((request, response) => {
    const send = (status: number, type: string, body: string) => response.writeHead(status, { "content-type": type, "cache-control": "no-store" }).end(request.method === "HEAD" ? undefined : body);
    if (request.method !== "GET" && request.method !== "HEAD") return send(405, "text/plain", "method not allowed\n");
    let path: string;
    try {
      path = new URL(request.url ?? "/", "http://localhost").pathname;
    } catch {
      return send(400, "text/plain", "bad request\n");
    }
    if (path === "/healthz") return send(200, "text/plain", "ok\n");
    if (path === "/readyz") {
      const state = readiness();
      return send(state.ready ? 200 : 503, "application/json", `${JSON.stringify(state)}\n`);
    }
    if (path === "/metrics") {
      metrics.registry
        .metrics()
        .then((text) => send(200, metrics.registry.contentType, text))
        .catch((error: unknown) => {
          logger.error({ err: error }, "metrics could not be collected");
          send(500, "text/plain", "metrics could not be collected\n");
        });
      return;
    }
    send(404, "text/plain", "not found: /metrics, /healthz, /readyz\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.unref();
  logger.info({ port: options.port, host: options.host }, "metrics and health on /metrics, /healthz, /readyz");
  return server;
}
