import { escapeMarkdown, truncate } from "../render/markdown.ts";
import { parseTopics, topicTerms, type Topics } from "../search/query/topics.ts";
import { UserInputError } from "./define.ts";

/**
 * Topics a user typed (digests, /trending, /trend, /watch), parsed; a phrase made only of words too common
 * to search for is refused with a message naming it, rather than silently matching nothing.
 */
export function topicsInput(text: string | undefined): Topics {
  const topics = parseTopics(text);
  const unsearchable = topics.include.find((words) => topicTerms(words.join(" ")).length === 0);
  if (unsearchable) throw new UserInputError(`The topic “${escapeMarkdown(truncate(unsearchable.join(" "), 60))}” has only words too common to search for (such as “the” or “of”). Name it with words a paper would be about.`);
  return topics;
}
