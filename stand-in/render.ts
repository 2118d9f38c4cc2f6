import type { VisibleMessage } from './visible.js';

type Json = Record<string, unknown>;

export interface NumberedButton {
  /** 1-based, in reading order across the message */
  number: number;
  customId: string | null;
  label: string;
  disabled: boolean;
  url: string | null;
}

/** Buttons of a message in reading order, numbered the way `renderMessage` shows them. */
export function buttonsOf(message: Pick<VisibleMessage, 'components'>): NumberedButton[] {
  const out: NumberedButton[] = [];
  const walk = (nodes: unknown): void => {
    if (!Array.isArray(nodes)) return;
    for (const node of nodes as Json[]) {
      if (node['type'] === 2) {
        const emoji = (node['emoji'] as Json | undefined)?.['name'];
        const label = [typeof emoji === 'string' ? emoji : '', typeof node['label'] === 'string' ? node['label'] : '']
          .filter(Boolean)
          .join(' ');
        out.push({
          number: out.length + 1,
          customId: typeof node['custom_id'] === 'string' ? node['custom_id'] : null,
          label: label || '(no label)',
          disabled: node['disabled'] === true,
          url: typeof node['url'] === 'string' ? node['url'] : null,
        });
      }
      walk(node['components']);
      if (node['accessory']) walk([node['accessory']]);
    }
  };
  walk(message.components);
  return out;
}

function renderEmbed(embed: Json): string[] {
  const lines: string[] = [];
  const author = (embed['author'] as Json | undefined)?.['name'];
  if (typeof author === 'string') lines.push(author);
  if (typeof embed['title'] === 'string') lines.push(`**${embed['title']}**`);
  if (typeof embed['description'] === 'string') lines.push(...embed['description'].split('\n'));
  const fields = Array.isArray(embed['fields']) ? (embed['fields'] as Json[]) : [];
  for (const field of fields) {
    const [first, ...more] = String(field['value']).split('\n');
    lines.push(`${String(field['name'])}: ${first}`, ...more.map((line) => `  ${line}`));
  }
  const footer = (embed['footer'] as Json | undefined)?.['text'];
  if (typeof footer === 'string') lines.push(`— ${footer}`);
  // Every line of the embed keeps the margin, even where a field, footer or name holds several lines.
  return lines.flatMap((line) => line.split('\n')).map((line) => `  │ ${line}`);
}

function renderComponents(components: unknown, buttons: NumberedButton[]): string[] {
  const lines: string[] = [];
  let next = 0;
  const walk = (nodes: unknown, depth: number): void => {
    if (!Array.isArray(nodes)) return;
    const row: string[] = [];
    for (const node of nodes as Json[]) {
      const type = node['type'];
      if (type === 2) {
        const b = buttons[next++];
        if (b) row.push(`[${b.number} ${b.label}${b.disabled ? ' (disabled)' : ''}${b.url ? ` -> ${b.url}` : ''}]`);
      } else if (type === 3 || type === 5 || type === 6 || type === 7 || type === 8) {
        const options = Array.isArray(node['options']) ? (node['options'] as Json[]).map((o) => String(o['label'])) : [];
        const placeholder = typeof node['placeholder'] === 'string' ? node['placeholder'] : 'select';
        row.push(`<${placeholder}${options.length > 0 ? `: ${options.join(' | ')}` : ''}${node['disabled'] === true ? ' (disabled)' : ''}>`);
      } else if (type === 10 && typeof node['content'] === 'string') {
        lines.push(...node['content'].split('\n').map((l) => `  ${l}`));
      } else {
        if (row.length > 0) lines.push(`  ${row.splice(0).join(' ')}`);
        walk(node['components'], depth + 1);
        if (node['accessory']) walk([node['accessory']], depth + 1);
      }
    }
    if (row.length > 0) lines.push(`  ${row.join(' ')}`);
  };
  walk(components, 0);
  return lines;
}

/** A message as readable terminal text: author, content, embeds, numbered buttons, and its markers. */
export function renderMessage(message: VisibleMessage): string {
  const lines: string[] = [];
  const who = message.author.bot ? `${message.author.username} [bot]` : message.author.username;
  const head = message.loading ? `${who} is thinking...` : `${who}:`;
  const markers = [
    message.ephemeral ? '(only you can see this)' : '',
    message.edited ? '(edited)' : '',
    message.deleted ? '(deleted)' : '',
  ].filter(Boolean);
  const content = message.content.split('\n');
  lines.push([head, content[0] ?? ''].filter(Boolean).join(' '));
  lines.push(...content.slice(1).map((l) => `  ${l}`));
  for (const embed of message.embeds) lines.push(...renderEmbed(embed as Json));
  for (const a of message.attachments) lines.push(`  [file: ${a.filename} (${a.size} bytes)]`);
  lines.push(...renderComponents(message.components, buttonsOf(message)));
  if (message.thread) lines.push(`  thread: #${message.thread.name}`);
  if (markers.length > 0) lines.push(`  ${markers.join(' ')}`);
  return lines.join('\n');
}
