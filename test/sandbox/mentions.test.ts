import { describe, expect, it } from 'vitest';
import { computeMentions, type MentionContext } from '../../stand-in/mentions.js';

const odo = '200000000000000001';
const mods = '200000000000000002';

function ctx(over: Partial<MentionContext>): MentionContext {
  return {
    content: '',
    allowedMentions: undefined,
    canMentionEveryone: true,
    userExists: (id) => id === odo,
    roleMentionable: (id) => id === mods,
    repliedUserId: null,
    ...over,
  };
}

describe('who a message would ping', () => {
  it('GIVEN no allowed_mentions THEN everyone, users and roles in the content are pinged', () => {
    const r = computeMentions(ctx({ content: `@here <@${odo}> <@&${mods}>` }));
    expect(r.wouldPing).toEqual({ everyone: true, users: [odo], roles: [mods] });
  });

  it('GIVEN parse: [] THEN nobody is pinged although the mentions are still reported', () => {
    const r = computeMentions(ctx({ content: `@everyone <@!${odo}> <@&${mods}>`, allowedMentions: { parse: [] } }));
    expect(r.wouldPing).toEqual({ everyone: false, users: [], roles: [] });
    expect(r.mentionedUserIds).toEqual([odo]);
  });

  it('GIVEN the author lacks MENTION_EVERYONE THEN @everyone does not ping', () => {
    expect(computeMentions(ctx({ content: '@everyone', canMentionEveryone: false })).wouldPing.everyone).toBe(false);
  });

  it('GIVEN a reply THEN the replied-to author is pinged unless replied_user is false in allowed_mentions', () => {
    expect(computeMentions(ctx({ content: 'ok', repliedUserId: odo })).wouldPing.users).toEqual([odo]);
    expect(computeMentions(ctx({ content: 'ok', repliedUserId: odo, allowedMentions: { parse: ['users'] } })).wouldPing.users).toEqual([]);
  });
});
