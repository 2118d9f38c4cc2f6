import { PermissionFlagsBits as P } from 'discord.js';

export const ALL_PERMISSIONS: bigint = Object.values(P).reduce((all, flag) => all | flag, 0n);

/** What @everyone may do in a freshly created stand-in guild (a typical community set-up). */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
  P.ViewChannel |
  P.SendMessages |
  P.ReadMessageHistory |
  P.AddReactions |
  P.UseApplicationCommands |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.EmbedLinks |
  P.AttachFiles |
  P.UseExternalEmojis;

/** The bot role's permissions by default: what a trivia/rewatch bot needs, without Administrator. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.CreatePrivateThreads |
  P.ManageThreads |
  P.ManageMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.AddReactions |
  P.UseExternalEmojis |
  P.MentionEveryone |
  P.UseApplicationCommands;

export interface PermissionOverwrite {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  userId: string;
  everyonePermissions: bigint;
  /** permissions of each role the member has (not including @everyone) */
  rolePermissions: { id: string; permissions: bigint }[];
}

/** Guild-level permissions, computed the way Discord documents it. */
export function basePermissions(subject: PermissionSubject): bigint {
  if (subject.userId === subject.ownerId) return ALL_PERMISSIONS;
  let perms = subject.everyonePermissions;
  for (const role of subject.rolePermissions) perms |= role.permissions;
  if ((perms & P.Administrator) === P.Administrator) return ALL_PERMISSIONS;
  return perms;
}

/** Channel-level permissions: base, then @everyone overwrite, then role overwrites together, then the member overwrite. */
export function channelPermissions(subject: PermissionSubject, overwrites: readonly PermissionOverwrite[]): bigint {
  const base = basePermissions(subject);
  if ((base & P.Administrator) === P.Administrator) return ALL_PERMISSIONS;
  let perms = base;
  const everyone = overwrites.find((o) => o.type === 0 && o.id === subject.guildId);
  if (everyone) perms = (perms & ~everyone.deny) | everyone.allow;
  let roleAllow = 0n;
  let roleDeny = 0n;
  const roleIds = new Set(subject.rolePermissions.map((r) => r.id));
  for (const o of overwrites) {
    if (o.type === 0 && roleIds.has(o.id)) {
      roleAllow |= o.allow;
      roleDeny |= o.deny;
    }
  }
  perms = (perms & ~roleDeny) | roleAllow;
  const member = overwrites.find((o) => o.type === 1 && o.id === subject.userId);
  if (member) perms = (perms & ~member.deny) | member.allow;
  // Without VIEW_CHANNEL nothing else in the channel applies
  if ((perms & P.ViewChannel) === 0n) return 0n;
  return perms;
}

export function hasAll(perms: bigint, needed: bigint): boolean {
  return (perms & needed) === needed;
}
