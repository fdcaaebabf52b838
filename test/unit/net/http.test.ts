import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { backoffMs, request, HttpError, retryAfterMs, USER_AGENT } from "../../../src/net/http.ts";
import { pacedFetch } from "../../../src/ingest/pace.ts";
import { fakeClock, startServer, type LocalServer } from "../ingest/helpers.ts";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("request", () => {
  it("sends a User-Agent naming paperbot and its version", async () => {
    server = await startServer(() => ({ body: "ok" }));
    const response = await request(`${server.url}/x`);
    expect(response.text).toBe("ok");
    expect(server.requests[0]!.headers["user-agent"]).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^paperbot\/\d+\.\d+\.\d+ \(Discord paper bot; node v\d+/);
  });

  it("retries 429 and 5xx with backoff, honouring Retry-After, then succeeds", async () => {
    const clock = fakeClock();
    const replies = [
      { status: 429, headers: { "retry-after": "7" }, body: "slow down" },
      { status: 503, body: "unavailable" },
      { status: 200, body: "done" },
    ];
    server = await startServer((_, index) => replies[index]!);
    const response = await request(`${server.url}/x`, { sleep: clock.sleep, now: clock.now, random: () => 0, baseDelayMs: 1000 });
    expect(response.text).toBe("done");
    expect(server.requests).toHaveLength(3);
    // Retry-After 7 s beats the first backoff (500-1000 ms); the second is plain backoff: 2 s ceiling, half fixed.
    expect(clock.sleeps).toEqual([7000, 1000]);
  });

  it("caps every response body, counting what gzip unpacks to, and does not retry it", async () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20)); // 5 KB on the wire, 5 MB unpacked
    expect(bomb.length).toBeLessThan(10_000);
    server = await startServer(() => ({ headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: bomb }));
    await expect(request(`${server.url}/x`, { maxBytes: 1024 * 1024 })).rejects.toThrow(/larger than 1048576 bytes/);
    expect(server.requests).toHaveLength(1);
    await server.close();
    server = await startServer(() => ({ body: "x".repeat(2000) }));
    await expect(request(`${server.url}/x`, { maxBytes: 1000 })).rejects.toThrow(HttpError);
    expect((await request(`${server.url}/x`, { maxBytes: 2000 })).text).toHaveLength(2000);
  });

  it("reads Retry-After given as an HTTP date", () => {
    const now = Date.UTC(2024, 7, 6, 12, 0, 0);
    expect(retryAfterMs(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it("keeps jittered backoff within half and all of an exponentially growing, capped ceiling", () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 0.5)).toBe(6000);
    expect(backoffMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it("does not retry a 400 and reports the status and the body", async () => {
    const clock = fakeClock();
    server = await startServer(() => ({ status: 400, body: '{"error":"Invalid date"}' }));
    const error = await request(`${server.url}/x`, { sleep: clock.sleep }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).message).toMatch(/HTTP 400: \{"error":"Invalid date"\}/);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("gives up after maxAttempts and says so", async () => {
    const clock = fakeClock();
    server = await startServer(() => ({ status: 502, body: "bad gateway" }));
    await expect(request(`${server.url}/x`, { sleep: clock.sleep, maxAttempts: 3 })).rejects.toThrow(/HTTP 502.*gave up after 3 attempts/);
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it("stops at once when Retry-After asks for longer than it is willing to wait", async () => {
    const clock = fakeClock();
    server = await startServer(() => ({ status: 429, headers: { "retry-after": "3600" } }));
    await expect(request(`${server.url}/x`, { sleep: clock.sleep, maxDelayMs: 60_000 })).rejects.toThrow(/retry after 3600 s/);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a request that never answers, and retries it", async () => {
    const clock = fakeClock();
    server = await startServer((_, index) => (index === 0 ? { hang: true } : { body: "late but fine" }));
    const response = await request(`${server.url}/x`, { sleep: clock.sleep, timeoutMs: 150 });
    expect(response.text).toBe("late but fine");
    expect(server.requests).toHaveLength(2);
  });

  it("retries network errors and names them once attempts run out", async () => {
    server = await startServer(() => ({ body: "never" }));
    const url = `${server.url}/x`;
    await server.close();
    server = undefined;
    const clock = fakeClock();
    await expect(request(url, { sleep: clock.sleep, maxAttempts: 2 })).rejects.toThrow(/network error: ECONNREFUSED.*gave up after 2 attempts/);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("retries a 200 that the source says means throttled", async () => {
    const clock = fakeClock();
    server = await startServer((_, index) => ({ body: index === 0 ? "Rate exceeded." : "<feed/>" }));
    const response = await request(`${server.url}/x`, { sleep: clock.sleep, isThrottled: (r) => r.text === "Rate exceeded." });
    expect(response.text).toBe("<feed/>");
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry once the caller aborts", async () => {
    const controller = new AbortController();
    // Aborted while the request is in flight, the moment the server has it.
    server = await startServer(() => {
      controller.abort(new Error("shutting down"));
      return { hang: true };
    });
    await expect(request(`${server.url}/x`, { signal: controller.signal, timeoutMs: 5000 })).rejects.toThrow("shutting down");
    expect(server.requests).toHaveLength(1);
  });
});

describe("pacedFetch", () => {
  it("starts requests at least the interval apart, even when called together", async () => {
    const clock = fakeClock();
    server = await startServer(() => ({ body: "ok" }));
    const times = clock.starts;
    const paced = pacedFetch({ intervalMs: 3000, fetch: clock.fetch, now: clock.now, sleep: clock.sleep });
    await Promise.all([paced(`${server.url}/1`), paced(`${server.url}/2`), paced(`${server.url}/3`)]);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(3000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(3000);
  });
});
