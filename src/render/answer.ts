import type { Answer } from "../ask/asker.ts";
import type { Paper } from "../corpus/paper.ts";
import { displayDate, paperUrl } from "./papers.ts";
import { escapeMarkdown, link, truncate } from "./markdown.ts";
import type { Button, Reply } from "./reply.ts";

/**
 * An answer as Discord shows it: the question, the answer with its [n] citations (model text is escaped
 * like paper text: it cannot format, link or ping), the numbered sources with their dates and links, and
 * an Open button per source. How the answer was made is in the footer.
 */
export function answerReply(answer: Answer, open: (label: string, paper: Paper) => Button | undefined): Reply {
  const sources = answer.sources.map((paper, i) => {
    const date = displayDate(paper.listed ?? paper.published);
    const cited = answer.cited.includes(i + 1) ? "" : " (not cited)";
    return `**[${i + 1}]** ${link(escapeMarkdown(truncate(paper.title, 90)), paperUrl(paper))}${date ? ` · ${escapeMarkdown(date)}` : ""}${answer.mode === "nothing" ? "" : cited}`;
  });
  const description =
    answer.mode === "nothing"
      ? answer.sources.length
        ? "I found nothing in the papers I know that answers this. The closest papers:"
        : "I found nothing in the papers I know that answers this, nor any paper close to it."
      : escapeMarkdown(answer.text);
  const made =
    answer.mode === "generated"
      ? `Written by ${answer.model} from ${count(answer.sources.length, "paper")}; every [n] is a paper below.`
      : answer.mode === "extracted"
        ? `Extracted from ${count(answer.sources.length, "abstract")}; every [n] is a paper below.`
        : "Nothing answered, so nothing was made up.";
  return {
    embeds: [
      {
        title: `Q: ${escapeMarkdown(truncate(answer.question, 240))}`,
        description,
        fields: sources.length ? [{ name: answer.mode === "nothing" ? "Closest papers" : "Sources", value: sources.join("\n") }] : [],
        footer: answer.note ? `${answer.note} ${made}` : made,
      },
    ],
    buttons: [answer.sources.flatMap((paper, i) => open(`Open ${i + 1}`, paper) ?? [])].filter((row) => row.length > 0),
  };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
