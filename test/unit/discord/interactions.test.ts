import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CommandRunner } from "../../../src/command-kit/runner.ts";
import { handleInteraction } from "../../../src/discord/interactions.ts";
import { RateLimiter } from "../../../src/rate-limit.ts";
import type { Reply } from "../../../src/render/reply.ts";

/** A slash-command interaction stub recording what the adapter does with it, in order. */
function slashInteraction() {
  const calls: Array<[string, unknown]> = [];
  const record = (name: string) => vi.fn(async (payload?: unknown) => void calls.push([name, payload]));
  return {
    calls,
    interaction: {
      id: "1",
      commandName: "search",
      user: { id: "42" },
      options: { data: [{ name: "query", type: 3, value: "slow" }] },
      isAutocomplete: () => false,
      isChatInputCommand: () => true,
      isButton: () => false,
      isModalSubmit: () => false,
      reply: record("reply"),
      deferReply: record("deferReply"),
      editReply: record("editReply"),
      deleteReply: record("deleteReply"),
      followUp: record("followUp"),
    },
  };
}

function runnerAnswering(reply: Reply, afterMs: number) {
  return { isDeferred: () => false, execute: () => new Promise<Reply>((resolve) => setTimeout(() => resolve(reply), afterMs)) } as unknown as CommandRunner;
}

const deps = (runner: CommandRunner, autocompleteLimit = 1000) => ({ runner, limiter: new RateLimiter(100, 60_000), autocompleteLimiter: new RateLimiter(autocompleteLimit, 60_000), logger: pino({ level: "silent" }) });

describe("acknowledging within Discord's 3 seconds", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("answers directly when the handler is quick", async () => {
    const { calls, interaction } = slashInteraction();
    const done = handleInteraction(interaction as never, deps(runnerAnswering({ content: "fast" }, 10)));
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(calls.map(([name]) => name)).toEqual(["reply"]);
  });

  it("defers before 3 s when the handler is slow, then edits in the answer", async () => {
    const { calls, interaction } = slashInteraction();
    const done = handleInteraction(interaction as never, deps(runnerAnswering({ content: "slow answer" }, 5000)));
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls.map(([name]) => name)).toEqual(["deferReply"]);
    await vi.advanceTimersByTimeAsync(2001);
    await done;
    expect(calls.map(([name]) => name)).toEqual(["deferReply", "editReply"]);
    expect(calls[1]![1]).toMatchObject({ content: "slow answer", allowedMentions: { parse: [] } });
  });

  it("keeps a slow error private: the public placeholder is deleted and the message sent ephemerally", async () => {
    const { calls, interaction } = slashInteraction();
    const done = handleInteraction(interaction as never, deps(runnerAnswering({ content: "Something went wrong", ephemeral: true }, 4000)));
    await vi.advanceTimersByTimeAsync(4000);
    await done;
    expect(calls.map(([name]) => name)).toEqual(["deferReply", "deleteReply", "followUp"]);
    expect(calls[2]![1]).toMatchObject({ flags: 64 });
  });
});

describe("an answer that takes seconds (/ask)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("says it is thinking at once, edits the reply as the answer grows at most every 1.5 s, then edits in the whole", async () => {
    const { calls, interaction } = slashInteraction();
    // Written over 4 s, a word every 100 ms.
    const runner = {
      isDeferred: () => true,
      execute: async (_name: string, _options: unknown, invocation: { progress?: (reply: Reply) => void }) => {
        for (let i = 1; i <= 40; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          invocation.progress?.({ content: `word `.repeat(i) });
        }
        return { content: "the whole answer" } satisfies Reply;
      },
    } as unknown as CommandRunner;
    const done = handleInteraction(interaction as never, deps(runner));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map(([name]) => name)).toEqual(["deferReply"]);
    await vi.advanceTimersByTimeAsync(4000);
    await done;
    const edits = calls.filter(([name]) => name === "editReply");
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(edits.length).toBeLessThanOrEqual(4); // 4 s of words: at most one edit per 1.5 s, then the final one
    expect(edits.at(-1)![1]).toMatchObject({ content: "the whole answer" });
  });
});

describe("autocomplete", () => {
  it("has a rate limit of its own: past it, suggestions stop (an empty list) and the runner is not asked", async () => {
    let asked = 0;
    const runner = { autocomplete: () => (asked++, [{ name: "x", value: "x" }]) } as unknown as CommandRunner;
    const responses: unknown[] = [];
    const typing = {
      user: { id: "7" },
      commandName: "search",
      isAutocomplete: () => true,
      options: { getFocused: () => ({ name: "query", value: "gra" }) },
      respond: async (choices: unknown) => void responses.push(choices),
    };
    const shared = deps(runner, 3);
    for (let i = 0; i < 5; i++) await handleInteraction(typing as never, shared);
    expect(asked).toBe(3);
    expect(responses.slice(3)).toEqual([[], []]);
  });
});

describe("RateLimiter", () => {
  it("allows `limit` actions per window per user, then says how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("b")]).toEqual([0, 0, 0]);
    now = 15_000;
    expect(limiter.take("a")).toBe(45_000);
    now = 60_000;
    expect(limiter.take("a")).toBe(0);
  });
});
