// Discord's documented size limits, enforced the way Discord reports them (400 "Invalid Form Body",
// code 50035, with a nested `errors` tree) so that bot bugs like a 2001-character message or a
// 26th autocomplete choice fail in tests instead of in production. Only well-known limits are
// checked; the error `code` strings inside `errors` are close to, not guaranteed identical to, Discord's.

export interface ApiErrorResponse {
  status: number;
  body: { message: string; code: number; errors?: Record<string, unknown> };
}

type ErrorTree = Record<string, any>;

class Collector {
  tree: ErrorTree = {};
  count = 0;
  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) node = node[String(key)] ??= {};
    (node._errors ??= []).push({ code, message });
    this.count++;
  }
  maxLen(path: (string | number)[], value: unknown, max: number): void {
    if (typeof value === "string" && [...value].length > max) {
      this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    }
  }
  required(path: (string | number)[], value: unknown): void {
    if (value === undefined || value === null || value === "") this.add(path, "BASE_TYPE_REQUIRED", "This field is required");
  }
  result(): ApiErrorResponse | undefined {
    if (!this.count) return undefined;
    return { status: 400, body: { message: "Invalid Form Body", code: 50035, errors: this.tree } };
  }
}

export function apiError(status: number, code: number, message: string): ApiErrorResponse {
  return { status, body: { message, code } };
}

const IS_COMPONENTS_V2 = 1 << 15;

function checkEmbeds(c: Collector, embeds: any[], prefix: (string | number)[]): void {
  if (embeds.length > 10) c.add([...prefix, "embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
  let total = 0;
  const count = (s: unknown) => (typeof s === "string" ? [...s].length : 0);
  embeds.forEach((e, i) => {
    const p = [...prefix, "embeds", i];
    c.maxLen([...p, "title"], e?.title, 256);
    c.maxLen([...p, "description"], e?.description, 4096);
    c.maxLen([...p, "footer", "text"], e?.footer?.text, 2048);
    c.maxLen([...p, "author", "name"], e?.author?.name, 256);
    const fields: any[] = Array.isArray(e?.fields) ? e.fields : [];
    if (fields.length > 25) c.add([...p, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    fields.forEach((f, j) => {
      c.required([...p, "fields", j, "name"], f?.name);
      c.required([...p, "fields", j, "value"], f?.value);
      c.maxLen([...p, "fields", j, "name"], f?.name, 256);
      c.maxLen([...p, "fields", j, "value"], f?.value, 1024);
      total += count(f?.name) + count(f?.value);
    });
    total += count(e?.title) + count(e?.description) + count(e?.footer?.text) + count(e?.author?.name);
  });
  if (total > 6000) c.add([...prefix, "embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
}

function checkComponents(c: Collector, rows: any[], prefix: (string | number)[]): void {
  if (rows.length > 5) c.add([...prefix, "components"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const p = [...prefix, "components", i];
    if (row?.type !== 1) return c.add([...p, "type"], "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Top-level components must be action rows");
    const children: any[] = Array.isArray(row.components) ? row.components : [];
    if (children.length === 0 || children.length > 5) {
      c.add([...p, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    }
    const hasSelect = children.some((x) => x?.type >= 3 && x?.type <= 8 && x?.type !== 4);
    if (hasSelect && children.length > 1) {
      c.add([...p, "components"], "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width");
    }
    children.forEach((x, j) => {
      const q = [...p, "components", j];
      const isLink = x?.type === 2 && x?.style === 5;
      const isPremium = x?.type === 2 && x?.style === 6;
      if (isLink) c.required([...q, "url"], x?.url);
      else if (!isPremium) c.required([...q, "custom_id"], x?.custom_id);
      c.maxLen([...q, "custom_id"], x?.custom_id, 100);
      c.maxLen([...q, "label"], x?.label, 80);
      c.maxLen([...q, "placeholder"], x?.placeholder, 150);
      if (typeof x?.custom_id === "string") {
        if (seen.has(x.custom_id)) c.add([...q, "custom_id"], "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
        seen.add(x.custom_id);
      }
      if (x?.type === 3) {
        const options: any[] = Array.isArray(x.options) ? x.options : [];
        if (options.length === 0 || options.length > 25) c.add([...q, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.");
        options.forEach((o, k) => {
          c.maxLen([...q, "options", k, "label"], o?.label, 100);
          c.maxLen([...q, "options", k, "value"], o?.value, 100);
          c.maxLen([...q, "options", k, "description"], o?.description, 100);
        });
      }
    });
  });
}

/** Checks a message create/edit body. `isCreate` adds Discord's "Cannot send an empty message" rule. */
export function validateMessage(body: any, fileCount: number, isCreate: boolean, prefix: (string | number)[] = []): ApiErrorResponse | undefined {
  const b = body ?? {};
  const c = new Collector();
  c.maxLen([...prefix, "content"], b.content, 2000);
  if (Array.isArray(b.embeds)) checkEmbeds(c, b.embeds, prefix);
  const v2 = typeof b.flags === "number" && (b.flags & IS_COMPONENTS_V2) !== 0;
  if (Array.isArray(b.components) && !v2) checkComponents(c, b.components, prefix);
  const invalid = c.result();
  if (invalid) return invalid;
  const empty =
    !b.content && !(b.embeds?.length > 0) && !(b.components?.length > 0) && !fileCount && !(b.sticker_ids?.length > 0) && !b.poll;
  if (isCreate && empty) return apiError(400, 50006, "Cannot send an empty message");
  return undefined;
}

/** POST /users/@me/channels (Create DM): the recipient is required. */
export function validateCreateDm(body: any): ApiErrorResponse | undefined {
  const c = new Collector();
  c.required(["recipient_id"], body?.recipient_id);
  return c.result();
}

/** Callback types Discord accepts per interaction type (2 command, 3 component, 4 autocomplete, 5 modal). */
const CALLBACK_TYPES_BY_INTERACTION: Record<number, number[]> = {
  2: [4, 5, 9, 10, 12],
  3: [4, 5, 6, 7, 9, 10, 12],
  4: [8],
  5: [4, 5, 6, 7],
};

/** Interaction callback body (POST /interactions/{id}/{token}/callback). */
export function validateCallback(body: any, fileCount: number, interactionType: number): ApiErrorResponse | undefined {
  const type = body?.type;
  const allowed = CALLBACK_TYPES_BY_INTERACTION[interactionType] ?? [1, 4, 5, 6, 7, 8, 9, 10, 12];
  if (typeof type !== "number" || !allowed.includes(type)) {
    const c = new Collector();
    c.add(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", `Callback type ${String(type)} is not valid for interaction type ${interactionType}; expected one of ${allowed.join(", ")}.`);
    return c.result();
  }
  if (type === 4) return validateMessage(body.data, fileCount, true, ["data"]);
  if (type === 7) return validateMessage(body.data, fileCount, false, ["data"]);
  const c = new Collector();
  if (type === 8) {
    const choices: any[] = Array.isArray(body.data?.choices) ? body.data.choices : [];
    if (choices.length > 25) c.add(["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    choices.forEach((ch, i) => {
      c.required(["data", "choices", i, "name"], ch?.name);
      c.maxLen(["data", "choices", i, "name"], ch?.name, 100);
      c.maxLen(["data", "choices", i, "value"], ch?.value, 100);
    });
  }
  if (type === 9) {
    c.required(["data", "title"], body.data?.title);
    c.maxLen(["data", "title"], body.data?.title, 45);
    c.required(["data", "custom_id"], body.data?.custom_id);
    c.maxLen(["data", "custom_id"], body.data?.custom_id, 100);
    const rows: any[] = Array.isArray(body.data?.components) ? body.data.components : [];
    if (rows.length === 0 || rows.length > 5) c.add(["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
  }
  return c.result();
}

const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkOptions(c: Collector, options: any[], path: (string | number)[]): void {
  if (options.length > 25) c.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    const p = [...path, i];
    if (typeof o?.name !== "string" || !NAME_RE.test(o.name) || o.name !== o.name.toLowerCase()) {
      c.add([...p, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    } else if (names.has(o.name)) {
      c.add([...p, "name"], "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique");
    }
    names.add(o?.name);
    c.required([...p, "description"], o?.description);
    c.maxLen([...p, "description"], o?.description, 100);
    const isSub = o?.type === 1 || o?.type === 2;
    if (!isSub) {
      if (o?.required && sawOptional) {
        c.add([...p, "required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options");
      }
      if (!o?.required) sawOptional = true;
    }
    const choices: any[] = Array.isArray(o?.choices) ? o.choices : [];
    if (choices.length > 25) c.add([...p, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    if (choices.length && o?.autocomplete) {
      c.add([...p, "autocomplete"], "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Autocomplete cannot be used with choices");
    }
    choices.forEach((ch, j) => {
      c.maxLen([...p, "choices", j, "name"], ch?.name, 100);
      c.maxLen([...p, "choices", j, "value"], ch?.value, 100);
    });
    if (Array.isArray(o?.options)) checkOptions(c, o.options, [...p, "options"]);
  });
}

/** Validates command bodies; `list` is a bulk overwrite (PUT) where names must also be unique. */
export function validateCommands(commands: any[], isList: boolean): ApiErrorResponse | undefined {
  const c = new Collector();
  const seen = new Set<string>();
  commands.forEach((cmd, i) => {
    const p = isList ? [i] : [];
    const type = cmd?.type ?? 1;
    const name = cmd?.name;
    const nameOk = typeof name === "string" && (type === 1 ? NAME_RE.test(name) && name === name.toLowerCase() : name.length >= 1 && name.length <= 32);
    if (!nameOk) c.add([...p, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    if (type === 1) {
      c.required([...p, "description"], cmd?.description);
      c.maxLen([...p, "description"], cmd?.description, 100);
    }
    if (Array.isArray(cmd?.options)) checkOptions(c, cmd.options, [...p, "options"]);
    const key = `${type}:${name}`;
    if (isList && seen.has(key)) c.add([...p, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", `Application command names must be unique`);
    seen.add(key);
  });
  return c.result();
}
