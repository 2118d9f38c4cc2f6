import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  episodeOrder,
  findProjectRoot,
  loadContent,
} from '../../src/content/index.js';
import type { FreeTextQuestion, Question } from '../../src/content/index.js';
import { isCorrectAnswer } from '../../src/text/match.js';

const root = findProjectRoot();
const content = loadContent();

function question(id: string): Question {
  const found = content.questions.find((q) => q.id === id);
  if (!found) throw new Error(`question ${id} not found`);
  return found;
}

describe('GIVEN the shipped data/ folder', () => {
  it('THEN it loads without problems, well under a second', () => {
    const started = performance.now();
    const fresh = loadContent(join(root, 'data'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(fresh.questions.map((q) => q.id)).toEqual(content.questions.map((q) => q.id));
  });

  it('THEN the question bank is big enough and covers every category', () => {
    expect(content.questions.length).toBeGreaterThanOrEqual(48);
    for (const category of CATEGORIES) {
      expect(content.questions.filter((q) => q.category === category).length, category).toBeGreaterThanOrEqual(5);
      expect(CATEGORY_LABELS[category]).toMatch(/\S/);
    }
    const byType = (type: Question['type']) => content.questions.filter((q) => q.type === type).length;
    expect(byType('free-text')).toBeGreaterThanOrEqual(12);
    expect(byType('true-false')).toBeGreaterThanOrEqual(10);
    expect(byType('multiple-choice')).toBeGreaterThanOrEqual(content.questions.length / 3);
    for (const difficulty of ['easy', 'medium', 'hard'] as const) {
      expect(content.questions.some((q) => q.difficulty === difficulty), difficulty).toBe(true);
    }
  });

  it('THEN every multiple-choice question has 4 distinct options and its answer among them', () => {
    for (const q of content.questions) {
      if (q.type !== 'multiple-choice') continue;
      expect(q.options, q.id).toHaveLength(4);
      expect(new Set(q.options.map((o) => o.toLowerCase())).size, q.id).toBe(4);
      expect(q.options, q.id).toContain(q.answer);
      for (const option of q.options) expect(option.length, `${q.id}: ${option}`).toBeLessThanOrEqual(80);
    }
  });

  it('THEN the death-toll question accepts the ways people write 800 million', () => {
    const toll = question('finale-war-death-toll') as FreeTextQuestion;
    expect(toll.type).toBe('free-text');
    for (const form of ['800 million', 'over 800 million', '800m', '800,000,000', '800000000', 'eight hundred million']) {
      expect(isCorrectAnswer(form, toll.accepted), form).toBe(true);
    }
    for (const wrong of ['900 million', '80 million', '8 million']) expect(isCorrectAnswer(wrong, toll.accepted), wrong).toBe(false);
  });

  it('THEN true-false answers are real booleans and both answers occur', () => {
    const answers = content.questions.flatMap((q) => (q.type === 'true-false' ? [q.answer] : []));
    for (const answer of answers) expect(typeof answer).toBe('boolean');
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });

  it('THEN the required myths are there with the right verdicts', () => {
    const verdicts = new Map(content.myths.map((m) => [m.id, m.verdict]));
    expect(content.myths.length).toBeGreaterThanOrEqual(8);
    for (const id of [
      'sisko-died',
      'section-31-won-the-war',
      'odo-cure-for-surrender',
      'jadzia-in-montage',
      'finale-all-space-battles',
      'official-4k-remaster',
      'worf-became-chancellor',
      'quark-grand-nagus',
      'odo-caught-it-from-founders',
    ]) {
      expect(verdicts.get(id), id).toBe('myth');
    }
    expect(verdicts.get('dukat-bajoran-face')).toBe('fact');
    expect(verdicts.get('quark-last-line')).toBe('fact');
  });

  it('THEN the catalogue has the pilot and the whole nine-episode Final Chapter with their air dates', () => {
    const dates = Object.fromEntries(content.episodes.map((e) => [e.code, `${e.title} ${e.airDate}`]));
    expect(dates).toMatchObject({
      '1x01': 'Emissary 1993-01-03',
      '7x17': 'Penumbra 1999-04-07',
      '7x18': "'Til Death Do Us Part 1999-04-14",
      '7x19': 'Strange Bedfellows 1999-04-21',
      '7x20': 'The Changing Face of Evil 1999-04-28',
      '7x21': 'When It Rains... 1999-05-05',
      '7x22': 'Tacking Into the Wind 1999-05-12',
      '7x23': 'Extreme Measures 1999-05-19',
      '7x24': 'The Dogs of War 1999-05-26',
      '7x25': 'What You Leave Behind 1999-06-02',
    });
    const orders = content.episodes.map((e) => episodeOrder(e.code));
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('THEN the default plan is the article\'s six-thread Final Chapter and the full plan has all nine', () => {
    expect(content.plans.filter((p) => p.isDefault)).toEqual([content.defaultPlan]);
    expect(content.defaultPlan.id).toBe('final-chapter');
    expect(content.defaultPlan.episodes.map((e) => e.code)).toEqual(['7x20', '7x21', '7x22', '7x23', '7x24', '7x25']);
    const full = content.plans.find((p) => p.id === 'final-chapter-full');
    expect(full?.episodes.map((e) => e.code)).toEqual([
      '7x17', '7x18', '7x19', '7x20', '7x21', '7x22', '7x23', '7x24', '7x25',
    ]);
    expect(full?.episodes[0]?.title).toBe('Penumbra');
  });

  it("THEN no episode's prompts name an episode that airs after it", () => {
    for (const episode of content.episodes) {
      const later = content.episodes.filter((e) => episodeOrder(e.code) > episodeOrder(episode.code));
      for (const prompt of episode.prompts) {
        for (const other of later) expect(prompt, `${episode.code} mentions ${other.code}`).not.toContain(other.title);
      }
    }
  });

  it('THEN nothing in data/ or src/content/ is about the promo lines (album, cartoon, reality show)', () => {
    const files = [
      ...readdirSync(join(root, 'data'), { recursive: true, withFileTypes: true }),
      ...readdirSync(join(root, 'src', 'content'), { withFileTypes: true }),
    ]
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    const promo = /nugent|state of shock|mike judge|tour bus|big brother|morgan|1979/i;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(promo.exec(text)?.[0], file).toBeUndefined();
    }
  });

  it('THEN verbatim-check finds no sentence copied from the article', (ctx) => {
    const shared = join(root, '..', 'shared');
    if (!existsSync(shared)) ctx.skip(`../shared is absent (${shared}), so the article and verbatim-check are not available`);
    const tool = join(shared, 'tools', 'verbatim-check');
    expect(existsSync(tool), `${tool} should exist next to the article`).toBe(true);
    // execFileSync throws when the tool exits non-zero, and the error carries the copied runs it printed.
    const output = execFileSync(process.execPath, [tool, 'data', 'src/content'], { cwd: root, encoding: 'utf8' });
    expect(output).toContain('no copied runs');
  });
});

describe('GIVEN episode codes', () => {
  it('THEN episodeOrder sorts them in airing order', () => {
    expect(episodeOrder('1x01')).toBe(101);
    expect(episodeOrder('7x20')).toBe(720);
    expect(episodeOrder('1x01')).toBeLessThan(episodeOrder('7x17'));
    expect(episodeOrder('7x09')).toBeLessThan(episodeOrder('7x25'));
  });

  it('THEN a malformed code is refused rather than silently ordered', () => {
    expect(() => episodeOrder('7x2')).toThrow(/not an episode code/);
    expect(() => episodeOrder('S07E20')).toThrow(/not an episode code/);
  });
});
