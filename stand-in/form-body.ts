import * as z from 'zod/mini';
import { invalidFormBody, type FieldProblem } from './api-error.js';

type Issue = z.core.$ZodIssue;

/** What a route accepts: a schema from Discord's OpenAPI spec, then the documented rules the spec leaves out. */
export interface BodyCheck {
  schema: z.ZodMiniType;
  /** run only on a body the schema accepted; `body` has the schema's shape */
  rules?: (body: never) => FieldProblem[];
}

/** Throws what Discord answers for a body it refuses: 400, code 50035 'Invalid Form Body', the errors by field path. */
export function checkBody(check: BodyCheck, body: unknown): void {
  const parsed = z.safeParse(check.schema, body, { reportInput: true });
  const problems = parsed.success ? (check.rules?.(body as never) ?? []) : parsed.error.issues.flatMap((issue) => problemsOf(issue, []));
  if (problems.length > 0) throw invalidFormBody(problems);
}

function problemsOf(issue: Issue, base: PropertyKey[]): FieldProblem[] {
  const at = [...base, ...issue.path];
  if (issue.code !== 'invalid_union') return [{ path: at.map(String).join('.'), ...discordError(issue) }];
  // Discord picks a union's member by its `type` field; when no member has that type, the type itself is wrong.
  const branches = issue.errors.filter((branch) => !branch.some(isTypeMismatch));
  if (branches.length === 0) {
    const values = issue.errors.flatMap((branch) => branch.filter(isTypeMismatch).flatMap((i) => (i.code === 'invalid_value' ? i.values : [])));
    const input = (issue.input as Record<string, unknown> | undefined)?.['type'];
    return [{ path: [...at, 'type'].join('.'), ...(input === undefined ? required : choices(values)) }];
  }
  const closest = branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return closest.flatMap((inner) => problemsOf(inner, at));
}

function isTypeMismatch(issue: Issue): boolean {
  return issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'type';
}

const required = { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };

function choices(values: readonly unknown[]): Omit<FieldProblem, 'path'> {
  return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${values.map((v) => JSON.stringify(v)).join(', ')}}.` };
}

const TYPE_ERRORS: Record<string, Omit<FieldProblem, 'path'>> = {
  string: { code: 'BASE_TYPE_STRING', message: 'Must be a string.' },
  number: { code: 'NUMBER_TYPE_COERCE', message: 'Must be a number.' },
  int: { code: 'NUMBER_TYPE_COERCE', message: 'Must be an integer.' },
  boolean: { code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' },
  array: { code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' },
  object: { code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' },
};

/** Discord's error code and wording for one failed check. */
function discordError(issue: Issue): Omit<FieldProblem, 'path'> {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? required : (TYPE_ERRORS[issue.expected] ?? { code: 'BASE_TYPE_INVALID', message: `Must be ${issue.expected}.` });
    case 'invalid_value':
      return issue.input === undefined ? required : choices(issue.values);
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${issue.maximum} or fewer in length.` }
        : { code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${issue.maximum}.` };
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${issue.minimum} or more in length.` }
        : { code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${issue.minimum}.` };
    case 'invalid_format':
      return issue.format === 'url' ? { code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' } : { code: 'BASE_TYPE_INVALID', message: `Must be a valid ${issue.format}.` };
    default:
      return { code: 'BASE_TYPE_INVALID', message: 'Invalid value.' };
  }
}
