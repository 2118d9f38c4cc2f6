import type { z } from 'zod';

/**
 * Turns validation findings into one-line messages a non-programmer can act on:
 *   data/questions.yaml: question "war-death-toll": field "answer": "Nine" is not one of the 4 options
 */

type Issue = z.core.$ZodIssue;

/** How an entry is named in messages: by its id when it has one, else by position (and line when known). */
export function entryLabel(kind: string, id: unknown, index: number, line?: number): string {
  if (typeof id === 'string' && id.trim() !== '') return `${kind} "${id.trim()}"`;
  return `${kind} #${index + 1}${line === undefined ? '' : ` (line ${line})`}`;
}

/** A short, plain description of a value as it was read from the file. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `the text "${truncate(value, 40)}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping (key: value pairs)';
  return typeof value;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value pairs)',
};

/** `field "options", item 3` for the path ["options", 2]. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  if (head === undefined) return '';
  let label = `field "${String(head)}"`;
  for (const part of rest) label += typeof part === 'number' ? `, item ${part + 1}` : `, "${String(part)}"`;
  return label;
}

function describeIssue(issue: Issue): string {
  const field = issue.path[issue.path.length - 1];
  const fieldName = typeof field === 'string' ? field : 'value';
  switch (issue.code) {
    case 'invalid_type': {
      const input = issue.input;
      if (input === undefined) return 'is missing';
      if (input === null) return 'is empty';
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (issue.expected === 'boolean') {
        return (
          `must be true or false, but is ${describeValue(input)}; write true or false without quotes ` +
          '(YAML reads yes/no/on/off as plain text, not as a boolean)'
        );
      }
      if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
        return `must be text, but is ${describeValue(input)}; put it in quotes`;
      }
      return `must be ${expected}, but is ${describeValue(input)}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'is empty' : `is too short`;
      if (issue.origin === 'array') {
        return Number(issue.minimum) <= 1 ? 'is an empty list' : `must have at least ${issue.minimum} items`;
      }
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') {
        const length = typeof issue.input === 'string' ? issue.input.length : undefined;
        return `is too long (${length === undefined ? '' : `${length} characters; `}the limit is ${issue.maximum})`;
      }
      if (issue.origin === 'array') return `has too many items (the limit is ${issue.maximum})`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_value': {
      const allowed = issue.values.map(String).join(', ');
      return `${describeInput(issue.input)} is not a known ${fieldName}; use one of: ${allowed}`;
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => `unknown field "${key}" (check the spelling)`).join('; ');
    default:
      return issue.message;
  }
}

function describeInput(input: unknown): string {
  return typeof input === 'string' ? `"${truncate(input, 40)}"` : describeValue(input);
}

/** One line per zod issue, prefixed with the file and the entry. */
export function formatIssues(prefix: string, issues: readonly Issue[]): string[] {
  return issues.map((issue) => {
    const field = fieldLabel(issue.path);
    return `${prefix}: ${field ? `${field}: ` : ''}${describeIssue(issue)}`;
  });
}
