import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from "../fake-discord/server.ts";
import type { BotProcess } from "../helpers/bot-process.ts";
import { newUsers, startBotOnFakeDiscord } from "../helpers/on-fake-discord.ts";
import { startChatServer, type ChatServer } from "../helpers/chat-server.ts";

/** /ask, mentions and DMs, and "Ask about this paper", through the real bot process and the fake Discord. */

let fake: FakeDiscord;
let bot: BotProcess;
let chat: ChatServer;
const asNewUser = newUsers(300000000000000000n);

beforeAll(async () => {
  fake = await startFakeDiscord();
  // A model that answers with a citation and an attempted ping: it must reach nobody.
  chat = await startChatServer([{ text: "Grokking is generalization that comes late, once features are learned [1]. @everyone" }]);
  bot = await startBotOnFakeDiscord(fake, {
    DATABASE_PATH: join(await mkdtemp(join(tmpdir(), "paperbot-ask-")), "paperbot.db"),
    LLM_API_URL: chat.url,
    LLM_MODEL: "tiny-llm",
  });
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await fake?.close();
  await chat?.close();
});

const replyTo = (id: string) => (request: RecordedRequest) => request.method === "POST" && (request.body?.message_reference as { message_id?: string } | undefined)?.message_id === id;

describe("answers on (fake) Discord", () => {
  it("/ask says it is thinking at once, then edits in the answer with its sources", async () => {
    const ask = await fake.slashCommand("ask", [{ name: "question", type: 3, value: "why does grokking generalize so late?" }], asNewUser());
    expect((await ask.callback()).type).toBe(5);
    const answer = await ask.finalMessage(20_000);
    const embed = answer.embeds[0];
    expect(embed.title).toBe("Q: why does grokking generalize so late?");
    expect(embed.description).toContain("once features are learned \\[1\\]");
    expect(embed.description).not.toMatch(/(?<!\u200b)@everyone/);
    expect(embed.fields[0].value).toContain("**[1]** Grokking as the Transition from Lazy to Rich Training Dynamics · Aug 4");
    expect(embed.footer.text).toContain("Written by tiny-llm from 5 papers");
    expect(answer.allowed_mentions).toEqual({ parse: [] });
    expect(chat.requests.at(-1)!.messages[1]!.content).toContain('<source number="1">');
  });

  it("answers a message that mentions it, as a reply that pings nobody; ignores other bots", async () => {
    const fromBot = fake.userMessage({ content: "what is grokking?", mentionBot: true, bot: true, ...asNewUser() });
    const question = fake.userMessage({ content: "any recent work on grokking?", mentionBot: true, ...asNewUser() });
    const reply = await fake.waitForRequest(replyTo(question.id), 20_000);
    expect(reply.path).toBe(`/channels/${question.channel_id}/messages`);
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect((reply.body.embeds as Array<{ title: string }>)[0]!.title).toBe("Q: any recent work on grokking?");
    expect(fake.requests.some(replyTo(fromBot.id))).toBe(false);
  });

  it("answers a direct message in the DM", async () => {
    const question = fake.userMessage({ content: "is there a paper on skip connections in diffusion models?", dm: true, ...asNewUser() });
    const reply = await fake.waitForRequest(replyTo(question.id), 20_000);
    expect(reply.path).toBe(`/channels/${question.channel_id}/messages`);
    expect((reply.body.embeds as Array<{ title: string }>)[0]!.title).toContain("skip connections in diffusion models");
  });

  it("a paper's Ask about this paper button opens a form; the answer draws on that paper alone", async () => {
    const who = asNewUser();
    const card = await (await fake.slashCommand("paper", [{ name: "paper", type: 3, value: "Grokking as the Transition from Lazy to Rich Training Dynamics" }], who)).callback();
    const askButton = (card.data.components as Array<{ components: Array<{ custom_id?: string; label: string }> }>).flatMap((row) => row.components).find((button) => button.label === "Ask about this paper")!;
    const press = await fake.button(askButton.custom_id!, who);
    const form = await press.callback();
    expect(form).toMatchObject({ type: 9, data: { title: "Ask about this paper", custom_id: expect.stringMatching(/^ask:/) } });
    const submit = await fake.modalSubmit(form.data.custom_id, { question: "what makes the generalization late?" }, who);
    expect((await submit.callback()).type).toBe(5);
    const answer = await submit.finalMessage(20_000);
    expect(answer.embeds[0].footer.text).toContain("from 1 paper");
    expect(answer.embeds[0].fields[0].value).toContain("Grokking as the Transition");
  });
});
