import type { REST } from "discord.js";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { CommandDefinition } from "../../../src/command-kit/options.ts";
import { syncCommands } from "../../../src/discord/sync-commands.ts";

/** A REST stand-in holding what Discord has registered, answering as Discord does (ids added, false fields dropped). */
function registry(initial: unknown[]) {
  let stored = initial;
  const puts: unknown[] = [];
  const rest = {
    get: async () => stored,
    put: async (_route: string, { body }: { body: unknown[] }) => {
      puts.push(body);
      stored = body;
    },
  } as unknown as REST;
  return { rest, puts };
}

const digest = (timeMaxLength: number): CommandDefinition => ({
  name: "digest",
  description: "Digests",
  default_member_permissions: "32",
  contexts: [0],
  integration_types: [0],
  options: [{ type: 1, name: "subscribe", description: "Subscribe", options: [{ type: 3, name: "time", description: "Time", required: true, max_length: timeMaxLength }] }],
});

const sync = (rest: REST, definitions: CommandDefinition[]) =>
  syncCommands({ rest, applicationId: "1", definitions, logger: pino({ level: "silent" }) });

describe("syncCommands", () => {
  it("leaves Discord alone when it already has these commands, whatever extra fields it answers with", async () => {
    const remote = { ...digest(5), id: "9", version: "3", application_id: "1", nsfw: false };
    const { rest, puts } = registry([remote]);
    expect(await sync(rest, [digest(5)])).toBe("unchanged");
    expect(puts).toEqual([]);
  });

  it("re-registers when a subcommand's option or the default permission changed", async () => {
    const changedOption = registry([digest(5)]);
    expect(await sync(changedOption.rest, [digest(8)])).toBe("updated");
    const changedPermission = registry([{ ...digest(5), default_member_permissions: null }]);
    expect(await sync(changedPermission.rest, [digest(5)])).toBe("updated");
    expect(changedPermission.puts).toEqual([[digest(5)]]);
  });

  it("re-registers when where a command can be used changed (an older version registered it for servers only)", async () => {
    const serverOnly = registry([{ ...digest(5), integration_types: null, contexts: null }]);
    expect(await sync(serverOnly.rest, [{ ...digest(5), integration_types: [0, 1], contexts: [0, 1, 2] }])).toBe("updated");
  });
});
