/** An error answered with Discord's JSON error shape: `{ message, code, errors? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const unknownChannel = (): ApiError => new ApiError(404, 10003, 'Unknown Channel');
export const unknownMessage = (): ApiError => new ApiError(404, 10008, 'Unknown Message');
export const unknownGuild = (): ApiError => new ApiError(404, 10004, 'Unknown Guild');
export const unknownMember = (): ApiError => new ApiError(404, 10007, 'Unknown Member');
export const unknownUser = (): ApiError => new ApiError(404, 10013, 'Unknown User');
export const unknownWebhook = (): ApiError => new ApiError(404, 10015, 'Unknown Webhook');
export const unknownInteraction = (): ApiError => new ApiError(404, 10062, 'Unknown interaction');
export const unknownCommand = (): ApiError => new ApiError(404, 10063, 'Unknown application command');
export const missingAccess = (): ApiError => new ApiError(403, 50001, 'Missing Access');
export const missingPermissions = (): ApiError => new ApiError(403, 50013, 'Missing Permissions');
export const alreadyAcknowledged = (): ApiError =>
  new ApiError(400, 40060, 'Interaction has already been acknowledged.');
export const emptyMessage = (): ApiError => new ApiError(400, 50006, 'Cannot send an empty message');
export const notAuthor = (): ApiError => new ApiError(403, 50005, 'Cannot edit a message authored by another user');
export const archivedThread = (): ApiError =>
  new ApiError(400, 50083, 'Operation cannot be performed on an archived thread');

/** One failed field check, in Discord's nested `errors` form (path like `embeds.0.title`). */
export interface FieldProblem {
  path: string;
  code: string;
  message: string;
}

export function invalidFormBody(problems: FieldProblem[]): ApiError {
  const errors: Record<string, unknown> = {};
  for (const problem of problems) {
    let node = errors;
    for (const key of problem.path.split('.')) {
      const next = (node[key] as Record<string, unknown> | undefined) ?? {};
      node[key] = next;
      node = next;
    }
    const list = (node['_errors'] as unknown[] | undefined) ?? [];
    list.push({ code: problem.code, message: problem.message });
    node['_errors'] = list;
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}
