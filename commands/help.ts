import { defineCommand } from "../src/command-kit/define.ts";
import { escapeMarkdown } from "../src/render/markdown.ts";

export default defineCommand({
  name: "help",
  description: "What paperbot can do, with an example of each command",
  options: {},
  examples: ["/help"],
  execute: (ctx) => ({
    embeds: [
      {
        title: "paperbot: find and follow machine-learning papers",
        description: `Search ${ctx.engine.size} papers by keyword, open one in full, or get a random one.`,
        fields: ctx.commands().map((command) => ({
          name: `/${command.definition.name}`,
          value: `${escapeMarkdown(command.definition.description)}\n${command.examples.map((example) => `\`${example}\``).join("  ")}`,
        })),
        footer: "Buttons under results page through them and open papers.",
      },
    ],
  }),
});
