import type { Reply } from "../../src/render/reply.ts";

/** Discord's documented limits, written out independently of src/render/limits.ts so the two check each other. */
export function limitViolations(reply: Reply): string[] {
  const problems: string[] = [];
  const check = (what: string, length: number, max: number) => length > max && problems.push(`${what}: ${length} > ${max}`);
  check("content", reply.content?.length ?? 0, 2000);
  check("embeds", reply.embeds?.length ?? 0, 10);
  let total = 0;
  for (const embed of reply.embeds ?? []) {
    check("title", embed.title?.length ?? 0, 256);
    check("description", embed.description?.length ?? 0, 4096);
    check("fields", embed.fields?.length ?? 0, 25);
    check("footer", embed.footer?.length ?? 0, 2048);
    for (const field of embed.fields ?? []) {
      check("field name", field.name.length, 256);
      check("field value", field.value.length, 1024);
      if (!field.name || !field.value) problems.push("empty field");
    }
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.length ?? 0);
    total += (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  }
  check("embed total", total, 6000);
  check("button rows", reply.buttons?.length ?? 0, 5);
  for (const row of reply.buttons ?? []) {
    check("buttons per row", row.length, 5);
    for (const button of row) {
      check("button label", button.label.length, 80);
      if ("customId" in button) check("custom_id", button.customId.length, 100);
    }
  }
  return problems;
}
