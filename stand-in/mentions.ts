import type { WouldPing } from './state.js';

export interface AllowedMentionsInput {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export interface MentionContext {
  content: string;
  allowedMentions: AllowedMentionsInput | undefined;
  /** may the author ping @everyone/@here in this channel (MENTION_EVERYONE) */
  canMentionEveryone: boolean;
  userExists: (id: string) => boolean;
  /** a role can be pinged if it exists and is mentionable, or the author has MENTION_EVERYONE */
  roleMentionable: (id: string) => boolean;
  /** author of the message being replied to, if the message is a reply */
  repliedUserId: string | null;
}

export interface MentionResult {
  mentionedUserIds: string[];
  mentionedRoleIds: string[];
  wouldPing: WouldPing;
}

const USER_MENTION = /<@!?(\d{17,20})>/g;
const ROLE_MENTION = /<@&(\d{17,20})>/g;
const EVERYONE = /@(everyone|here)\b/;

/** Who a message would notify, following Discord's allowed_mentions rules (absent = parse everything). */
export function computeMentions(ctx: MentionContext): MentionResult {
  const am = ctx.allowedMentions;
  const parse = new Set(am ? (am.parse ?? []) : ['everyone', 'users', 'roles']);
  const allowedUsers = new Set(am?.users ?? []);
  const allowedRoles = new Set(am?.roles ?? []);
  const mentionedUserIds = unique([...ctx.content.matchAll(USER_MENTION)].map((m) => m[1] ?? '')).filter(
    ctx.userExists,
  );
  const mentionedRoleIds = unique([...ctx.content.matchAll(ROLE_MENTION)].map((m) => m[1] ?? ''));
  const users = mentionedUserIds.filter((id) => parse.has('users') || allowedUsers.has(id));
  const repliedUserPinged = ctx.repliedUserId !== null && (am === undefined || am.replied_user === true);
  if (repliedUserPinged && ctx.repliedUserId !== null && !users.includes(ctx.repliedUserId)) users.push(ctx.repliedUserId);
  const roles = mentionedRoleIds.filter(
    (id) => (parse.has('roles') || allowedRoles.has(id)) && ctx.roleMentionable(id),
  );
  const everyone = EVERYONE.test(ctx.content) && parse.has('everyone') && ctx.canMentionEveryone;
  return { mentionedUserIds, mentionedRoleIds, wouldPing: { everyone, users, roles } };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
