import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits as P } from 'discord.js';
import { ALL_PERMISSIONS, channelPermissions, type PermissionSubject } from '../../stand-in/permissions.js';

const guildId = '100000000000000001';
const mods = '100000000000000002';
const crew = '100000000000000003';

function subject(over: Partial<PermissionSubject> = {}): PermissionSubject {
  return {
    guildId,
    ownerId: '900000000000000000',
    userId: '500000000000000000',
    everyonePermissions: P.ViewChannel | P.SendMessages,
    rolePermissions: [],
    ...over,
  };
}

describe('channel permissions, computed like Discord', () => {
  it('GIVEN @everyone and role permissions THEN the base is their union', () => {
    const perms = channelPermissions(subject({ rolePermissions: [{ id: mods, permissions: P.ManageMessages }] }), []);
    expect(perms).toBe(P.ViewChannel | P.SendMessages | P.ManageMessages);
  });

  it('GIVEN Administrator on any role THEN every permission applies and overwrites are ignored', () => {
    const perms = channelPermissions(subject({ rolePermissions: [{ id: mods, permissions: P.Administrator }] }), [
      { id: guildId, type: 0, allow: 0n, deny: P.ViewChannel },
    ]);
    expect(perms).toBe(ALL_PERMISSIONS);
  });

  it('GIVEN the guild owner THEN everything is allowed', () => {
    expect(channelPermissions(subject({ userId: '900000000000000000', everyonePermissions: 0n }), [])).toBe(ALL_PERMISSIONS);
  });

  it('GIVEN overwrites THEN @everyone applies first, then roles together, then the member', () => {
    const overwrites = [
      { id: guildId, type: 0 as const, allow: 0n, deny: P.SendMessages },
      { id: mods, type: 0 as const, allow: P.SendMessages, deny: 0n },
      { id: crew, type: 0 as const, allow: 0n, deny: P.SendMessages },
    ];
    const roles = [
      { id: mods, permissions: 0n },
      { id: crew, permissions: 0n },
    ];
    // role allow wins over role deny when both roles apply
    expect(channelPermissions(subject({ rolePermissions: roles }), overwrites) & P.SendMessages).toBe(P.SendMessages);
    const withMemberDeny = [...overwrites, { id: '500000000000000000', type: 1 as const, allow: 0n, deny: P.SendMessages }];
    expect(channelPermissions(subject({ rolePermissions: roles }), withMemberDeny) & P.SendMessages).toBe(0n);
    expect(channelPermissions(subject(), overwrites) & P.SendMessages).toBe(0n);
  });

  it('GIVEN VIEW_CHANNEL is denied THEN no other permission remains in that channel', () => {
    const perms = channelPermissions(subject(), [{ id: guildId, type: 0, allow: 0n, deny: P.ViewChannel }]);
    expect(perms).toBe(0n);
  });
});
