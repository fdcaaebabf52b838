import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../fake-discord/server.ts";
import { startBot, type BotProcess } from "../helpers/bot-process.ts";
import { customIds, fakeDiscordEnv, newUsers, startBotOnFakeDiscord } from "../helpers/on-fake-discord.ts";
import { nodeTsx, run } from "../helpers/run-process.ts";

/** Every slash command, sorted: registration and /help list exactly these. */
const COMMANDS = ["about", "ask", "digest", "help", "paper", "random", "related", "saved", "search", "trend", "trending", "watch"];

/**
 * The real bot process (as `npm start` runs it) against our fake Discord on 127.0.0.1: registration,
 * every command, buttons, autocomplete, escaping, bad input, a dropped gateway and a clean SIGTERM.
 */

const EPHEMERAL = 64;
let fake: FakeDiscord;
let bot: BotProcess;
/** A fresh user per test, so the per-user rate limit only bites where a test wants it to. */
const asNewUser = newUsers(100000000000000000n);

const botEnv = () => ({ ...fakeDiscordEnv(fake), RATE_LIMIT_PER_MINUTE: "8" });

beforeAll(async () => {
  fake = await startFakeDiscord();
  bot = await startBotOnFakeDiscord(fake, botEnv());
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await fake?.close();
});

describe("paperbot on (fake) Discord", () => {
  it("registers its commands in the server, with their options", () => {
    const commands = fake.registeredCommands(fake.guildId);
    expect(commands.map((command) => command.name).sort()).toEqual(COMMANDS);
    const search = commands.find((command) => command.name === "search")!;
    expect(search.options).toEqual([
      expect.objectContaining({ name: "query", type: 3, required: true, autocomplete: true }),
      expect.objectContaining({ name: "page", type: 4 }),
    ]);
    // Guilds, Guild Messages and Direct Messages (mentions and DMs): no privileged intent, no Message Content.
    expect(fake.identifies[0].intents).toBe(1 | 512 | 4096);
    // Read-only commands work anywhere, installed to a server or to a user; /digest changes a server.
    expect(search).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    expect(commands.find((command) => command.name === "digest")).toMatchObject({ integration_types: [0], contexts: [0] });
  });

  it("/search answers with results and working page buttons", async () => {
    const search = await fake.slashCommand("search", [{ name: "query", type: 3, value: "knowledge distillation" }], asNewUser());
    const first = await search.callback();
    expect(first.type).toBe(4);
    expect(first.data.embeds[0].footer.text).toContain("Page 1/4");
    expect(first.data.allowed_mentions).toEqual({ parse: [] });
    const next = customIds(first.data).find((id) => id.startsWith("search:2:"))!;
    const press = await fake.button(next, asNewUser());
    const second = await press.callback();
    expect(second.type).toBe(7); // the results message is updated in place
    expect(second.data.embeds[0].footer.text).toContain("Page 2/4");
    const open = customIds(second.data).find((id) => id.startsWith("paper:"))!;
    const detail = await (await fake.button(open, asNewUser())).callback();
    expect(detail.type).toBe(4);
    expect(detail.data.embeds[0].fields.map((field: { name: string }) => field.name)).toContain("Id");
  });

  it("autocomplete answers with at most 25 choices of at most 100 characters", async () => {
    for (const [command, option] of [["search", "query"], ["paper", "paper"]]) {
      const typed = await fake.autocomplete(command!, [{ name: option!, type: 3, value: "learn", focused: true }], asNewUser());
      const answer = await typed.callback();
      expect(answer.type).toBe(8);
      expect(answer.data.choices.length).toBeGreaterThan(0);
      expect(answer.data.choices.length).toBeLessThanOrEqual(25);
      for (const choice of answer.data.choices) expect(choice.name.length).toBeLessThanOrEqual(100);
    }
  });

  it("/paper, /random (with Another one), /help and /about answer", async () => {
    const paper = await (await fake.slashCommand("paper", [{ name: "paper", type: 3, value: "Solving High-Dimensional PDEs with Latent Spectral Models" }], asNewUser())).callback();
    expect(paper.data.embeds[0].title).toBe("Solving High-Dimensional PDEs with Latent Spectral Models");
    const random = await (await fake.slashCommand("random", [], asNewUser())).callback();
    expect(random.data.content).toBe("🎲 A random paper");
    const another = await (await fake.button(customIds(random.data)[0]!, asNewUser())).callback();
    expect(another.data.embeds).toHaveLength(1);
    const help = await (await fake.slashCommand("help", [], asNewUser())).callback();
    expect(help.data.embeds[0].fields.map((field: { name: string }) => field.name)).toEqual(COMMANDS.map((name) => `/${name}`));
    const about = await (await fake.slashCommand("about", [], asNewUser())).callback();
    expect(about.data.embeds[0].fields).toContainEqual(expect.objectContaining({ name: "Papers", value: "59" }));
  });

  it("a paper titled @everyone pings nobody and renders literally", async () => {
    const answer = await (await fake.slashCommand("paper", [{ name: "paper", type: 3, value: "2408.00042" }], asNewUser())).callback();
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    const text = JSON.stringify(answer.data);
    expect(text).not.toMatch(/@everyone|@here|<@\d/);
    expect(answer.data.embeds[0].title).toBe("@\u200beveryone hi: Mentions in Paper Titles");
  });

  it("bad input gets a clear ephemeral answer and the bot stays up", async () => {
    const cases: Array<[string, Array<{ name: string; type: number; value: string }>, RegExp]> = [
      ["nope", [], /Unknown command \/nope/],
      ["search", [], /Please give a search query/],
      ["search", [{ name: "query", type: 3, value: "x".repeat(6000) }], /at most 1000 characters \(yours has 6000\)/],
      ["paper", [{ name: "paper", type: 3, value: "🦀 ünïcödé 中文 \u0000" }], /No paper found/],
    ];
    for (const [name, options, message] of cases) {
      const answer = await (await fake.slashCommand(name, options, asNewUser())).callback();
      expect(answer.data.flags, name).toBe(EPHEMERAL);
      expect(answer.data.content, name).toMatch(message);
    }
    const forged = await (await fake.button("search:abc", asNewUser())).callback();
    expect(forged.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining("out of date") });
    expect(bot.child.exitCode).toBeNull();
  });

  it("rate-limits a user who spams commands, politely and privately", async () => {
    const spammer = asNewUser();
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push(await (await fake.slashCommand("help", [], spammer)).callback());
    expect(answers.slice(0, 8).map((answer) => answer.data.flags ?? 0)).toEqual(Array(8).fill(0));
    expect(answers[8]!.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringContaining("going a little fast") });
    const other = await (await fake.slashCommand("help", [], asNewUser())).callback();
    expect(other.data.flags ?? 0).toBe(0);
  });

  it("survives a dropped gateway connection and answers the next command", async () => {
    const resumes = fake.resumeCount;
    fake.disconnectGateway();
    await fake.waitFor(() => fake.resumeCount > resumes, 15_000);
    const answer = await (await fake.slashCommand("help", [], asNewUser())).callback();
    expect(answer.type).toBe(4);
  });

  it("never logs the token", () => {
    expect(bot.logs()).not.toContain(fake.token);
    expect(bot.logs()).toContain("connected to Discord");
  });

  it("on restart leaves unchanged commands alone, and SIGTERM exits 0 promptly", async () => {
    const puts = () => fake.requests.filter((request) => request.method === "PUT" && request.path.includes("/commands")).length;
    const before = puts();
    expect((await bot.stop("SIGTERM")).code).toBe(0);
    bot = startBot(botEnv());
    await bot.waitForLog("slash commands already up to date", 30_000);
    expect(puts()).toBe(before);
    const answer = await (await fake.slashCommand("about", [], asNewUser())).callback();
    expect(answer.type).toBe(4);
    // Exit code 0 is the bot's own exit (the helper would SIGKILL it after 10 s); "stopped" means it drained
    // and closed rather than hitting its shutdown deadline.
    expect((await bot.stop("SIGTERM")).code).toBe(0);
    expect(bot.logs()).toContain('"msg":"stopped"');
  }, 60_000);
});

describe("npm run deploy-commands", () => {
  it("registers the commands globally, then finds nothing to change on a second run", async () => {
    const deploy = () =>
      run(...nodeTsx("src/discord/deploy-commands.ts"), { env: { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: "silent" } });
    const first = await deploy();
    expect(first).toMatchObject({ code: 0, stdout: `${COMMANDS.length} commands registered globally.\n` });
    expect(fake.registeredCommands("global").map((command) => command.name).sort()).toEqual(COMMANDS);
    expect((await deploy()).stdout).toBe(`${COMMANDS.length} commands already up to date globally.\n`);
    const noToken = await run(...nodeTsx("src/discord/deploy-commands.ts"), { env: { LOG_LEVEL: "silent" } });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("DISCORD_TOKEN is required");
  });
});
