import type { APIApplicationCommand, APIApplicationCommandOption } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type CommandOptionInput, type FakeDiscord, type InteractionHandle } from "../fake-discord/server.ts";
import type { BotProcess } from "../helpers/bot-process.ts";
import { newUsers, startBotOnFakeDiscord } from "../helpers/on-fake-discord.ts";
import { seededRandom } from "../../bench/stats.ts";

/**
 * Interaction fuzz: the real bot against a fake Discord that, like Discord, refuses an answer later than
 * 3 s (10062). Forged custom ids, every option at its limit and past it, wrong types, random unicode,
 * unknown commands and subcommands: each one is answered in time with a reply Discord accepts, invalid
 * input gets an ephemeral message, and the bot keeps serving.
 */

const SEED = 20261129;
const DEADLINE_MS = 3000;
const EPHEMERAL = 64;

let fake: FakeDiscord;
let bot: BotProcess;
/** A fresh user per interaction, so the rate limit does not stand in for the behaviour under test. */
const asNewUser = newUsers(200000000000000000n);

const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Pieces of text that have broken bots: mentions, markdown, links, bidi and zero-width marks, emoji, lone surrogates, NUL. */
const HOSTILE = [
  "@everyone", "@here", "<@&123456789012345678>", "<@123>", "**", "__", "~~", "||", "```", "> ", "[x](javascript:alert(1))",
  "\u202e", "\u200b", "\ufeff", "😀", "👩‍👩‍👧", "\ud800", "\udfff", "\u0000", "\n", "\t", "漢字", "العربية", "e\u0301", "%00", "../", "${x}",
  " ", "a", "Z", "9", ":", ",", "-", "\"", "'", "\\",
];
function hostileText(length: number): string {
  let text = "";
  while (text.length < length) text += pick(HOSTILE);
  return text.slice(0, length);
}

interface Case {
  label: string;
  send: () => Promise<InteractionHandle>;
  /** Whether the bot must refuse it with an ephemeral message (past a limit, wrong type, unknown, forged). */
  refused: boolean;
}

/** Values for one option: at its limits (accepted) and past them or of the wrong type (refused). */
function valuesFor(option: APIApplicationCommandOption): { value: string | number | boolean; refused: boolean }[] {
  if (option.type === 3) {
    const max = option.max_length ?? 6000;
    return [
      { value: hostileText(max), refused: false },
      { value: hostileText(Math.min(max, 40)), refused: false },
      // Past the limit in characters (code points, as zod and Discord count) even after trimming: only a
      // forged or stale client sends these.
      { value: `${hostileText(max)}${"x".repeat(max + 1)}`, refused: true },
      { value: `${hostileText(max * 10)}x`.padStart(max * 10 + 1, "x"), refused: true },
      { value: 42, refused: true },
    ];
  }
  if (option.type === 4) {
    const min = option.min_value ?? -(2 ** 53);
    const max = option.max_value ?? 2 ** 53;
    return [
      { value: min, refused: false },
      { value: max, refused: false },
      { value: min - 1, refused: true },
      { value: max + 1, refused: true },
      { value: 2.5, refused: true },
      { value: "not a number", refused: true },
    ];
  }
  return [{ value: "x", refused: true }];
}

/** Every command and subcommand with each option pushed to its limits, the others left valid or absent. */
function commandCases(commands: APIApplicationCommand[]): Case[] {
  const cases: Case[] = [];
  const forCommand = (name: string, options: APIApplicationCommandOption[] | undefined, subcommand?: string) => {
    const ctx = () => ({ ...asNewUser(), ...(subcommand ? { subcommand } : {}) });
    const label = `/${name}${subcommand ? ` ${subcommand}` : ""}`;
    const valid = (options ?? []).filter((option) => option.type !== 1 && option.type !== 2);
    const required = valid.filter((option) => "required" in option && option.required);
    const baseline = (except: string): CommandOptionInput[] =>
      required.filter((option) => option.name !== except).map((option) => ({ name: option.name, type: option.type, value: plausible(option) }));
    for (const option of valid) {
      for (const { value, refused } of valuesFor(option)) {
        const options = [...baseline(option.name), { name: option.name, type: typeof value === "number" ? option.type : 3, value }];
        cases.push({ label: `${label} ${option.name}=${shown(value)}`, refused, send: () => fake.slashCommand(name, options, ctx()) });
      }
      if ("autocomplete" in option && option.autocomplete) {
        for (const length of [0, 1, 50, 100, 200, 1000]) {
          const options = [...baseline(option.name), { name: option.name, type: 3, value: hostileText(length), focused: true }];
          cases.push({ label: `${label} autocomplete ${option.name} (${length} chars)`, refused: false, send: () => fake.autocomplete(name, options, ctx()) });
        }
      }
    }
    if (required.length) cases.push({ label: `${label} missing options`, refused: true, send: () => fake.slashCommand(name, [], ctx()) });
    // An option this version does not know (a client with stale definitions) is ignored, not refused.
    cases.push({ label: `${label} unknown option`, refused: false, send: () => fake.slashCommand(name, [...baseline(""), { name: "zzz", type: 3, value: "x" }], ctx()) });
  };
  for (const command of commands) {
    const subcommands = (command.options ?? []).filter((option) => option.type === 1);
    if (subcommands.length) {
      for (const subcommand of subcommands) forCommand(command.name, "options" in subcommand ? subcommand.options : [], subcommand.name);
      cases.push({ label: `/${command.name} unknown subcommand`, refused: true, send: () => fake.slashCommand(command.name, [], { ...asNewUser(), subcommand: "zzz" }) });
    } else {
      forCommand(command.name, command.options);
    }
  }
  cases.push({ label: "unknown command", refused: true, send: () => fake.slashCommand("zzz", [], asNewUser()) });
  return cases;
}

/** A valid value for a required option that is not under test. */
function plausible(option: APIApplicationCommandOption): string | number {
  if (option.name === "time") return "09:00";
  if (option.name === "timezone") return "UTC";
  if (option.name === "channel") return fake.channels[0]!.id;
  return option.type === 4 ? 1 : "transformers";
}

const shown = (value: unknown) => (typeof value === "string" ? `${value.length} chars` : JSON.stringify(value));

/** Custom ids a client could forge: every command's prefix with garbage, unknown prefixes, no prefix, 100 characters. */
function forgedCases(commands: APIApplicationCommand[]): Case[] {
  const payloads = ["", ":", "-1", "0", "99999999999999999999", "NaN", "1:2:3:4", "x".repeat(90), "../../etc/passwd", hostileText(40)];
  const ids = [
    ...commands.flatMap((command) => payloads.map((payload) => `${command.name}:${payload}`.slice(0, 100))),
    "search:1:", "search:2:" + hostileText(80), "paper:" + "9".repeat(94), "zzz:1", "no-colon", ":", hostileText(100),
  ];
  // A payload may be valid for its command (a /random button carries a topic, any text): only ids no
  // command owns must be refused.
  const owned = (id: string) => commands.some((command) => id.startsWith(`${command.name}:`));
  return [
    ...ids.map((id) => ({ label: `button ${JSON.stringify(id)}`, refused: !owned(id), send: () => fake.button(id, asNewUser()) })),
    ...ids.slice(0, 12).map((id) => ({ label: `select ${JSON.stringify(id)}`, refused: true, send: () => fake.selectMenu(id, [hostileText(20)], asNewUser()) })),
    ...["ask:", "ask:does-not-exist", "ask:" + hostileText(60), "zzz:1"].flatMap((id) => [
      { label: `form ${JSON.stringify(id)}`, refused: true, send: () => fake.modalSubmit(id, { question: hostileText(2000) }, asNewUser()) },
      { label: `form ${JSON.stringify(id)} without its field`, refused: true, send: () => fake.modalSubmit(id, { other: "x" }, asNewUser()) },
    ]),
  ];
}

/** The status Discord (the fake) gave the bot's callback for this interaction: 204 only within 3 s and valid. */
async function callbackStatus(handle: InteractionHandle): Promise<number> {
  const request = await fake.waitForRequest((r) => r.method === "POST" && r.path === `/interactions/${handle.id}/${handle.token}/callback`, DEADLINE_MS + 2000);
  return request.status;
}

beforeAll(async () => {
  fake = await startFakeDiscord({ interactionDeadlineMs: DEADLINE_MS });
  bot = await startBotOnFakeDiscord(fake);
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await fake?.close();
});

describe("interaction fuzz", () => {
  it("answers every forged, oversized, mistyped or unknown interaction within 3 s and keeps running", async () => {
    const commands = fake.registeredCommands(fake.guildId);
    const cases = [...commandCases(commands), ...forgedCases(commands)];
    expect(cases.length).toBeGreaterThan(150);
    const failures: string[] = [];
    for (const fuzz of cases) {
      const handle = await fuzz.send();
      const status = await callbackStatus(handle).catch(() => 0);
      if (status !== 204) {
        failures.push(`${fuzz.label}: callback status ${status || "never sent"}`);
        continue;
      }
      const answer = await handle.callback();
      const message = answer.type === 5 ? await handle.finalMessage(10_000) : answer.data;
      if (fuzz.refused && answer.type !== 9 && !((message?.flags ?? 0) & EPHEMERAL)) failures.push(`${fuzz.label}: refusal was not ephemeral`);
      const isMessage = answer.type === 4 || answer.type === 5 || answer.type === 7;
      if (isMessage && JSON.stringify(message?.allowed_mentions) !== '{"parse":[]}') failures.push(`${fuzz.label}: mentions not disabled`);
    }
    expect(failures, `seed ${SEED}`).toEqual([]);

    const about = await (await fake.slashCommand("about", [], asNewUser())).callback();
    expect(about.data.embeds[0].title).toContain("paperbot");
    expect(bot.child.exitCode).toBeNull();
    expect(bot.logs()).not.toMatch(/uncaught|unhandled/i);
  }, 240_000);
});
