import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

export interface UploadedFile {
  /** form field name, e.g. `files[0]` */
  field: string;
  /** index taken from the field name (`files[3]` -> 3) */
  index: number;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedBody {
  json: Record<string, unknown>;
  files: UploadedFile[];
}

const MAX_BODY_BYTES = 25 * 1024 * 1024;

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 40005, 'Request entity too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** JSON bodies and multipart/form-data bodies (`payload_json` plus `files[n]` parts), as discord.js sends them. */
export async function parseBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readRaw(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: {}, files: [] };
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return { json: { value: parsed }, files: [] };
    return { json: parsed as Record<string, unknown>, files: [] };
  } catch {
    throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Request('http://stand-in.local/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  let json: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  let order = 0;
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') json = JSON.parse(value) as Record<string, unknown>;
      else json[field] = value;
      continue;
    }
    const match = /^files?\[(\d+)\]$/.exec(field);
    files.push({
      field,
      index: match?.[1] !== undefined ? Number(match[1]) : order,
      filename: value.name,
      contentType: value.type || 'application/octet-stream',
      data: Buffer.from(await value.arrayBuffer()),
    });
    order += 1;
  }
  return { json, files };
}
