import type { Button, Reply } from "../render/reply.ts";

/**
 * A reply as plain text, the way Discord would show it: markdown escapes resolved, masked links as
 * "text <url>", bold as ANSI bold in a terminal (kept as **…** otherwise), buttons as [labels].
 */
export function renderText(reply: Reply, options: { ansi?: boolean } = {}): string {
  const show = (markdown: string) => displayMarkdown(markdown, options.ansi ?? false);
  const lines: string[] = [];
  if (reply.ephemeral) lines.push("(only you can see this)");
  if (reply.content) lines.push(show(reply.content));
  for (const embed of reply.embeds ?? []) {
    if (embed.title) lines.push(`┃ ${show(embed.title)}${embed.url ? ` <${embed.url}>` : ""}`);
    if (embed.description) lines.push(...show(embed.description).split("\n").map((line) => `┃ ${line}`));
    for (const field of embed.fields ?? []) lines.push(`┃ ${show(field.name)}: ${show(field.value).split("\n").join("\n┃   ")}`);
    if (embed.image) lines.push(`┃ [picture: ${embed.image.replace(/^attachment:\/\//, "")}]`);
    if (embed.footer) lines.push(`┃ ${show(embed.footer)}`);
  }
  for (const file of reply.files ?? []) lines.push(`📎 ${file.name} (${formatBytes(file.data.byteLength)})`);
  for (const row of reply.buttons ?? []) lines.push(row.map(buttonLabel).join(" "));
  return lines.join("\n");
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function buttonLabel(button: Button): string {
  if ("url" in button) return `[${button.label} ↗]`;
  return button.disabled ? `(${button.label})` : `[${button.label}]`;
}

function displayMarkdown(markdown: string, ansi: boolean): string {
  const linked = markdown.replace(/(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)/g, "$1 <$2>");
  const bolded = ansi ? linked.replace(/(?<!\\)\*\*(.+?)(?<!\\)\*\*/g, "\x1b[1m$1\x1b[22m") : linked;
  return bolded.replace(/\\(.)/g, "$1").replace(/\u200b/g, "");
}

/** The enabled action buttons of a reply, for pressing by label in the console. */
export function actionButtons(reply: Reply): Array<{ customId: string; label: string }> {
  return (reply.buttons ?? []).flat().flatMap((button) => ("customId" in button && !button.disabled ? [button] : []));
}
