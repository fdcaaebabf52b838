// Request body decoding: JSON, or multipart/form-data (discord.js switches to multipart as soon as
// files are attached, with the JSON payload in the `payload_json` part and files in `files[n]`).
import type { IncomingMessage } from "node:http";
import type { UploadedFile } from "./payloads.ts";

export interface DecodedBody {
  body: any;
  files: UploadedFile[];
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function decodeBody(raw: Buffer, contentType: string | undefined): DecodedBody {
  if (raw.length === 0) return { body: undefined, files: [] };
  const boundary = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  if (boundary) return decodeMultipart(raw, boundary[1] ?? boundary[2] ?? "");
  const text = raw.toString("utf8");
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] }; // keep the raw text so tests can still inspect it
  }
}

function decodeMultipart(raw: Buffer, boundary: string): DecodedBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === "--") break; // closing delimiter
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is "\r\n<headers>\r\n\r\n<content>\r\n".
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename !== undefined) {
        const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? "application/octet-stream";
        files.push({ field: name, filename, contentType, data: Buffer.from(content) });
      } else {
        fields[name] = content.toString("utf8");
      }
    }
    start = next;
  }
  let body: any = fields;
  if (fields.payload_json !== undefined) {
    try {
      body = JSON.parse(fields.payload_json);
    } catch {
      body = fields;
    }
  }
  return { body, files };
}
