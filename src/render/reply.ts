/**
 * What a command answers, independent of any transport: the Discord adapter maps it to Discord's payloads,
 * the console prints it. Text fields hold Discord markdown, already escaped.
 */

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  url?: string;
  description?: string;
  fields?: EmbedField[];
  footer?: string;
  /** A picture under the text: an http(s) URL, or `attachment://NAME` for one of the reply's files. */
  image?: string;
}

/** A file sent with a reply (on Discord, an attachment): a chart, an export. */
export interface Attachment {
  name: string;
  data: Uint8Array;
  /** What it is, for screen readers (Discord's attachment description). */
  description?: string;
}

export type ButtonStyle = "primary" | "secondary" | "success" | "danger";

/** A button that comes back to the bot (`customId`) or opens a link (`url`). */
export type Button =
  | { customId: string; label: string; style?: ButtonStyle; disabled?: boolean }
  | { url: string; label: string };

export interface Reply {
  content?: string;
  embeds?: Embed[];
  /** Rows of buttons (Discord: at most 5 rows of 5). */
  buttons?: Button[][];
  files?: Attachment[];
  /** Only the person who asked sees it. */
  ephemeral?: boolean;
  /** For a button press: this reply takes the place of the message the button was on (e.g. a next page). */
  replaceSource?: boolean;
  /** For a button press: instead of a message, a form with one text field, submitted to `customId`. */
  modal?: Modal;
}

export interface Modal {
  customId: string;
  title: string;
  /** The one text field: its id is the key of the submitted value. */
  field: { id: string; label: string; placeholder?: string; maxLength: number };
}

export interface Choice {
  name: string;
  value: string;
}

/** A short message only the asker sees: every user-facing error goes through here. */
export function ephemeralMessage(content: string): Reply {
  return { content, ephemeral: true };
}
