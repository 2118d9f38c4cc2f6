import { describe, expect, it } from 'vitest';
import { loadContent, type Myth } from '../../src/content/index.js';
import { choiceName, mythCustomIds, renderList, renderPost, renderReveal, voteMessage } from '../../src/discord/myth-render.js';
import type { RevealView } from '../../src/myth/myth-service.js';

const bank = loadContent().myths;
const siskoDied = bank.find((m) => m.id === 'sisko-died')!;
const quarkLastLine = bank.find((m) => m.id === 'quark-last-line')!;
const revealAt = new Date('2026-11-26T19:01:00Z');

function revealView(myth: Myth, overrides: Partial<RevealView> = {}): RevealView {
  return {
    postId: 7,
    myth,
    askedBy: '400000000000000001',
    revealedBy: null,
    votes: { fact: 7, myth: 3 },
    totals: { rightVotes: 16, wrongVotes: 9 },
    ...overrides,
  };
}

function buttons(payload: ReturnType<typeof renderPost>) {
  return payload.components.flatMap((row) => ('components' in row ? (row.components as { label?: string; custom_id?: string }[]) : []));
}

describe('renderPost', () => {
  it('GIVEN a post THEN the claim, when it reveals, and Myth / Fact / Reveal buttons for this post; mentions never parsed', () => {
    const payload = renderPost({ postId: 42, myth: siskoDied, askedBy: '400000000000000001', revealAt });
    const description = payload.embeds[0]?.description ?? '';
    expect(description).toContain(siskoDied.claim);
    expect(description).toContain(`<t:${revealAt.getTime() / 1000}:R>`);
    expect(description).not.toContain(siskoDied.explanation);
    expect(buttons(payload).map((b) => [b.label, b.custom_id])).toEqual([
      ['Myth', mythCustomIds.vote(42, 'myth')],
      ['Fact', mythCustomIds.vote(42, 'fact')],
      ['Reveal', mythCustomIds.reveal(42)],
    ]);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('renderReveal', () => {
  it('GIVEN 7 Fact and 3 Myth votes on a myth THEN verdict, explanation, bar, "7 of 10 thought Sisko died" and the cross-server share; buttons gone', () => {
    const payload = renderReveal(revealView(siskoDied));
    const embed = payload.embeds[0]!;
    expect(embed.title).toBe('Myth! Sisko died');
    expect(embed.description).toContain('**Verdict: Myth.**');
    expect(embed.description).toContain(siskoDied.explanation);
    expect(embed.description).toContain('`Fact 7 ███████░░░ 3 Myth`');
    expect(embed.description).toContain('7 of 10 thought Sisko died.');
    expect(embed.description).toContain('Across all servers, 64% got this right (25 votes).');
    expect(embed.description).toContain('Revealed after a minute');
    expect(payload.components).toEqual([]);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN a fact revealed early with no votes THEN it says so and who revealed it', () => {
    const embed = renderReveal(revealView(quarkLastLine, { votes: { fact: 0, myth: 0 }, totals: { rightVotes: 0, wrongVotes: 0 }, revealedBy: '400000000000000002' })).embeds[0]!;
    expect(embed.title).toBe('Fact! Quark has the last line');
    expect(embed.description).toContain('Nobody voted this time.');
    expect(embed.description).not.toContain('Across all servers');
    expect(embed.description).toContain('Revealed by <@400000000000000002>.');
  });
});

describe('voteMessage', () => {
  it('THEN each outcome reads as a short confirmation', () => {
    expect(voteMessage({ status: 'recorded', vote: 'myth' })).toMatch(/^You voted \*\*Myth\*\*\./);
    expect(voteMessage({ status: 'changed', vote: 'fact', from: 'myth' })).toBe('You changed your vote to **Fact** (it was Myth).');
    expect(voteMessage({ status: 'unchanged', vote: 'fact' })).toContain('counts once');
    expect(voteMessage({ status: 'closed' })).toContain('closed');
  });
});

describe('choiceName', () => {
  it('GIVEN a myth THEN its title; a very long one is shortened to fit 100 characters', () => {
    expect(choiceName({ id: 'a', title: 'Sisko died' })).toBe('Sisko died');
    const name = choiceName({ id: 'a', title: 'x'.repeat(120) });
    expect(name.length).toBe(100);
    expect(name.endsWith('…')).toBe(true);
  });
});

describe('renderList', () => {
  it('GIVEN revealed, unrevealed and hidden myths THEN verdicts only for revealed visible ones, and hidden ones only counted', () => {
    const embed = renderList([
      { title: 'Sisko died', verdict: 'myth', hiddenUntil: null },
      { title: 'Quark has the last line', verdict: null, hiddenUntil: null },
      { title: 'Odo stays with Kira', verdict: 'myth', hiddenUntil: '7x25' },
      { title: 'Worf became chancellor', verdict: null, hiddenUntil: '7x22' },
    ]);
    const lines = embed.description!.split('\n');
    expect(lines).toEqual([
      '- Sisko died: **Myth**',
      '- Quark has the last line: not revealed here yet',
      '- 2 more, hidden by the spoiler guard until your rewatch reaches 7x22 or later',
    ]);
    expect(embed.description).not.toContain('Odo stays');
    expect(embed.description).not.toContain('chancellor');
    expect(embed.footer?.text).toContain('1 of 4 revealed');
  });
});
