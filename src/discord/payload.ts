import { ButtonStyle, ComponentType, MessageFlags, TextInputStyle, type InteractionReplyOptions } from "discord.js";
import type { Button, Modal, Reply } from "../render/reply.ts";

/** Every message the bot sends pings nobody, whatever the paper text says. */
export const NO_MENTIONS = { parse: [] } as const;

const STYLE = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, success: ButtonStyle.Success, danger: ButtonStyle.Danger } as const;

function component(button: Button) {
  if ("url" in button) return { type: ComponentType.Button, style: ButtonStyle.Link, label: button.label, url: button.url } as const;
  return { type: ComponentType.Button, style: STYLE[button.style ?? "secondary"], label: button.label, custom_id: button.customId, disabled: button.disabled ?? false } as const;
}

/** A transport-neutral reply as the message body Discord expects (for sends and edits alike). */
export function messageBody(reply: Reply) {
  return {
    content: reply.content ?? "",
    embeds: (reply.embeds ?? []).map((embed) => ({
      title: embed.title,
      url: embed.url,
      description: embed.description,
      fields: embed.fields,
      footer: embed.footer ? { text: embed.footer } : undefined,
      image: embed.image ? { url: embed.image } : undefined,
      color: 0x5865f2,
    })),
    files: (reply.files ?? []).map((file) => ({ attachment: Buffer.from(file.data), name: file.name, description: file.description })),
    components: (reply.buttons ?? []).map((row) => ({ type: ComponentType.ActionRow as const, components: row.map(component) })),
    allowedMentions: NO_MENTIONS,
  };
}

/** A form with one text field, as Discord's modal: title and label at most 45 characters. */
export function modalBody(modal: Modal) {
  return {
    custom_id: modal.customId,
    title: modal.title.slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow as const,
        components: [
          {
            type: ComponentType.TextInput as const,
            custom_id: modal.field.id,
            label: modal.field.label.slice(0, 45),
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: modal.field.maxLength,
            placeholder: modal.field.placeholder?.slice(0, 100),
          },
        ],
      },
    ],
  };
}

/** The body plus the ephemeral flag, for a first reply or a follow-up. */
export function replyOptions(reply: Reply): InteractionReplyOptions {
  return { ...messageBody(reply), flags: reply.ephemeral ? MessageFlags.Ephemeral : undefined };
}

/** A channel message in Discord's own API shape (for REST), sent idempotently: a repeat of the nonce is dropped. */
export function channelMessage(reply: Reply, nonce: string) {
  // Posted as JSON through REST: digests and alerts carry no files.
  const { allowedMentions, files: _files, ...body } = messageBody(reply);
  return { ...body, allowed_mentions: allowedMentions, nonce, enforce_nonce: true };
}
