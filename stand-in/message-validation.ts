import { emptyMessage, invalidFormBody, type FieldProblem } from './api-error.js';

const IS_COMPONENTS_V2 = 1 << 15;

function tooLong(path: string, max: number): FieldProblem {
  return { path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkLength(problems: FieldProblem[], path: string, value: unknown, max: number, required = false): number {
  if (value === undefined || value === null) {
    if (required) problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return 0;
  }
  const text = String(value);
  if (required && text.length === 0) problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  if (text.length > max) problems.push(tooLong(path, max));
  return text.length;
}

/** Discord's embed limits (title 256, description 4096, 25 fields, field name 256 / value 1024, footer 2048, author 256, total 6000). */
export function embedProblems(embeds: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (embeds === undefined || embeds === null) return problems;
  if (!Array.isArray(embeds)) return [{ path: 'embeds', code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  if (embeds.length > 10) problems.push({ path: 'embeds', code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds.${i}`;
    if (!isObject(embed)) {
      problems.push({ path: at, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      return;
    }
    total += checkLength(problems, `${at}.title`, embed['title'], 256);
    total += checkLength(problems, `${at}.description`, embed['description'], 4096);
    if (isObject(embed['footer'])) total += checkLength(problems, `${at}.footer.text`, embed['footer']['text'], 2048, true);
    if (isObject(embed['author'])) total += checkLength(problems, `${at}.author.name`, embed['author']['name'], 256, true);
    const fields = embed['fields'];
    if (Array.isArray(fields)) {
      if (fields.length > 25) problems.push(tooLong(`${at}.fields`, 25));
      fields.forEach((field, j) => {
        const f = isObject(field) ? field : {};
        total += checkLength(problems, `${at}.fields.${j}.name`, f['name'], 256, true);
        total += checkLength(problems, `${at}.fields.${j}.value`, f['value'], 1024, true);
      });
    }
    if (embed['color'] !== undefined && embed['color'] !== null) {
      const color = embed['color'];
      if (typeof color !== 'number' || color < 0 || color > 0xffffff) {
        problems.push({ path: `${at}.color`, code: 'NUMBER_TYPE_MAX', message: 'int value should be <= 16777215 and >= 0.' });
      }
    }
  });
  if (total > 6000) problems.push({ path: 'embeds', code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  return problems;
}

/** Classic (non-v2) component limits: 5 action rows, 5 buttons per row, custom ids unique and at most 100 characters. */
export function componentProblems(components: unknown, flags: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (components === undefined || components === null) return problems;
  if (!Array.isArray(components)) return [{ path: 'components', code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  if ((flags & IS_COMPONENTS_V2) !== 0) return problems;
  if (components.length > 5) problems.push(tooLong('components', 5));
  const seen = new Set<string>();
  components.forEach((row, i) => {
    const at = `components.${i}`;
    if (!isObject(row) || row['type'] !== 1) {
      problems.push({ path: `${at}.type`, code: 'UNION_TYPE_CHOICES', message: 'Top-level components must be action rows.' });
      return;
    }
    const children = Array.isArray(row['components']) ? row['components'] : [];
    if (children.length === 0 || children.length > 5) {
      problems.push({ path: `${at}.components`, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
    }
    children.forEach((child, j) => {
      const cat = `${at}.components.${j}`;
      if (!isObject(child)) return;
      const customId = child['custom_id'];
      if (child['type'] === 2 && child['style'] !== 5 && child['style'] !== 6 && customId === undefined) {
        problems.push({ path: `${cat}.custom_id`, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      }
      if (typeof customId === 'string') {
        checkLength(problems, `${cat}.custom_id`, customId, 100, true);
        if (seen.has(customId)) {
          problems.push({ path: `${cat}.custom_id`, code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
        }
        seen.add(customId);
      }
      if (child['type'] === 2) checkLength(problems, `${cat}.label`, child['label'], 80);
    });
  });
  return problems;
}

export function allowedMentionsProblems(am: unknown): FieldProblem[] {
  if (!isObject(am)) return [];
  const parse = Array.isArray(am['parse']) ? am['parse'] : [];
  const problems: FieldProblem[] = [];
  if (parse.includes('users') && Array.isArray(am['users']) && am['users'].length > 0) {
    problems.push({ path: 'allowed_mentions', code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message: 'parse:["users"] and users: [ids] are mutually exclusive.' });
  }
  if (parse.includes('roles') && Array.isArray(am['roles']) && am['roles'].length > 0) {
    problems.push({ path: 'allowed_mentions', code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message: 'parse:["roles"] and roles: [ids] are mutually exclusive.' });
  }
  return problems;
}

export interface MessageBodyShape {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  allowed_mentions?: unknown;
  flags?: unknown;
}

/** Throws the ApiError Discord would answer for an invalid message body. `attachmentCount` counts uploaded files. */
export function validateMessageBody(body: MessageBodyShape, opts: { creating: boolean; attachmentCount: number }): void {
  const problems: FieldProblem[] = [];
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  if (body.content !== undefined && body.content !== null) checkLength(problems, 'content', body.content, 2000);
  problems.push(...embedProblems(body.embeds), ...componentProblems(body.components, flags), ...allowedMentionsProblems(body.allowed_mentions));
  if (problems.length > 0) throw invalidFormBody(problems);
  if (opts.creating) {
    const hasContent = typeof body.content === 'string' && body.content.trim().length > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    if (!hasContent && !hasEmbeds && !hasComponents && opts.attachmentCount === 0) throw emptyMessage();
  }
}
