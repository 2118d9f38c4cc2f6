import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ContentError,
  findProjectRoot,
  loadContent,
  parseQuestionPack,
} from '../../src/content/index.js';

const root = findProjectRoot();
const fixtures = 'test/fixtures/content';

/** The problems loadContent reports for a fixture folder (fails the test if it loads). */
function problemsFor(fixture: string): readonly string[] {
  try {
    loadContent(join(root, fixtures, fixture));
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    const contentError = error as ContentError;
    expect(contentError.message).toBe(contentError.problems.join('\n'));
    return contentError.problems;
  }
  throw new Error(`${fixture} loaded without problems`);
}

const file = (fixture: string, name: string) => `${fixtures}/${fixture}/${name}`;

describe('GIVEN a valid data folder', () => {
  const content = loadContent(join(root, fixtures, 'valid'));

  it('THEN questions keep their type-specific fields', () => {
    expect(content.questions.map((q) => [q.id, q.type])).toEqual([
      ['war-death-toll', 'free-text'],
      ['war-toast', 'multiple-choice'],
      ['rewatch-sisko-died', 'true-false'],
    ]);
    const tf = content.questions[2];
    expect(tf?.type === 'true-false' && tf.answer).toBe(false);
  });

  it('THEN plans are resolved to catalogue episodes, with the one default exposed', () => {
    expect(content.defaultPlan.id).toBe('short-run');
    expect(content.defaultPlan.episodes.map((e) => e.title)).toEqual(['The Dogs of War', 'What You Leave Behind']);
    expect(content.plans.find((p) => p.id === 'bookends')?.isDefault).toBe(false);
  });

  it('THEN the project root is found from both src/content and a compiled dist/src/content', () => {
    expect(findProjectRoot(join(root, 'src', 'content'))).toBe(root);
    expect(findProjectRoot(join(root, 'dist', 'src', 'content'))).toBe(root);
  });
});

describe('GIVEN broken data files', () => {
  it('THEN a YAML syntax error names the file and the line', () => {
    const problems = problemsFor('bad-syntax');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^${file('bad-syntax', 'questions/bank.yaml')}: line 8, column 5: YAML syntax error: Flow sequence .* end with a \\]`),
    );
    expect(problems[0]).toContain('fix it first');
  });

  it('THEN a missing field and an unknown value are both reported, across files', () => {
    expect(problemsFor('missing-field')).toEqual([
      `${file('missing-field', 'questions/bank.yaml')}: question "war-toast": field "prompt": is missing`,
      `${file('missing-field', 'myths.yaml')}: myth "sisko-died": field "verdict": "maybe" is not a known verdict; use one of: myth, fact`,
    ]);
  });

  it('THEN a duplicate id points at the entry that first used it', () => {
    expect(problemsFor('duplicate-id')).toEqual([
      `${file('duplicate-id', 'questions/bank.yaml')}: question "war-toast" (#3): field "id": "war-toast" is already used by question #2; each question needs its own id`,
    ]);
  });

  it('THEN a multiple-choice answer outside the options is reported with the option problems', () => {
    const questions = file('answer-not-in-options', 'questions/bank.yaml');
    expect(problemsFor('answer-not-in-options')).toEqual([
      `${questions}: question "war-toast": field "options": must have exactly 4 options, but has 3`,
      `${questions}: question "war-toast": field "options": "Kira and Odo" is listed more than once; the options must all differ`,
      `${questions}: question "war-toast": field "answer": "Nine" is not one of the 3 options; copy the right option here exactly`,
    ]);
  });

  it('THEN yes/no/off written for a boolean is refused with the YAML 1.2 explanation', () => {
    const trap = '; write true or false without quotes (YAML reads yes/no/on/off as plain text, not as a boolean)';
    expect(problemsFor('yes-no-boolean')).toEqual([
      `${file('yes-no-boolean', 'plans.yaml')}: plan "bookends": field "default": must be true or false, but is the text "off"${trap}`,
      `${file('yes-no-boolean', 'questions/bank.yaml')}: question "rewatch-sisko-died": field "answer": must be true or false, but is the text "no"${trap}`,
    ]);
  });

  it('THEN spoils codes missing from the catalogue are reported for questions and myths', () => {
    const episodes = file('unknown-episode', 'episodes.yaml');
    expect(problemsFor('unknown-episode')).toEqual([
      `${file('unknown-episode', 'questions/bank.yaml')}: question "war-death-toll": field "spoils": "7x99" is not an episode listed in ${episodes}`,
      `${file('unknown-episode', 'myths.yaml')}: myth "sisko-died": field "spoils": "8x01" is not an episode listed in ${episodes}`,
    ]);
  });

  it('THEN a plan with unknown or out-of-order episodes, and two defaults, gets every problem listed', () => {
    const plans = file('bad-plan', 'plans.yaml');
    expect(problemsFor('bad-plan')).toEqual([
      `${plans}: plan "short-run": field "episodes", item 2: "7x24" comes after "7x25"; list the episodes in airing order`,
      `${plans}: plan "short-run": field "episodes", item 3: "7x30" is not an episode listed in ${file('bad-plan', 'episodes.yaml')}`,
      `${plans}: 2 plans have default: true ("short-run", "bookends"); exactly one plan may be the default`,
    ]);
  });

  it('THEN bad episode codes, impossible air dates and prompt counts outside 3..5 are reported', () => {
    const episodes = file('bad-episodes', 'episodes.yaml');
    expect(problemsFor('bad-episodes')).toEqual([
      `${episodes}: episode "1x1": field "code": must be an episode code like "7x20" (season, "x", two-digit episode number)`,
      `${episodes}: episode "7x24": field "airDate": is not a real calendar date`,
      `${episodes}: episode "7x25": field "prompts": must have 3 to 5 prompts, but has 1`,
      `${file('bad-episodes', 'plans.yaml')}: plan "bookends": field "episodes", item 1: "1x01" is not an episode listed in ${episodes}`,
    ]);
  });

  it('THEN a folder without the files reports each missing file', () => {
    const problems = problemsFor('does-not-exist');
    expect(problems).toEqual(
      [
        `${file('does-not-exist', 'episodes.yaml')}: file not found`,
        `${file('does-not-exist', 'plans.yaml')}: file not found`,
        `${file('does-not-exist', 'questions')}: folder not found`,
        `${file('does-not-exist', 'myths.yaml')}: file not found`,
      ],
    );
  });
});

describe('GIVEN a bank split over several files', () => {
  const entry = (id: string, extra = '') =>
    `  - {id: ${id}, category: war, difficulty: easy, type: free-text, prompt: P, accepted: [a], explanation: E, spoils: 7x25${extra}}`;
  const source = ', source: {episode: 7x25, scene: S}';

  /** The valid fixture with its questions replaced by these files; the problems, or [] when it loads. */
  function load(files: Record<string, string[]>): { problems: readonly string[]; ids: string[]; related: Record<string, readonly string[] | undefined> } {
    const dir = mkdtempSync(join(tmpdir(), 'ds9-content-'));
    try {
      cpSync(join(root, fixtures, 'valid'), dir, { recursive: true });
      rmSync(join(dir, 'questions'), { recursive: true });
      cpSync(join(root, fixtures, 'valid', 'questions'), join(dir, 'questions'), { recursive: true, filter: (p) => !p.endsWith('.yaml') });
      for (const [name, entries] of Object.entries(files)) writeFileSync(join(dir, 'questions', name), `questions:\n${entries.join('\n')}\n`);
      const content = loadContent(dir);
      return { problems: [], ids: content.questions.map((q) => q.id), related: Object.fromEntries(content.questions.map((q) => [q.id, q.related])) };
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      return { problems: error.problems.map((p) => p.replaceAll(dir, '<dir>')), ids: [], related: {} };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('THEN every .yaml file is read in name order and related ids may point into another file, both ways', () => {
    const loaded = load({ 'b.yaml': [entry('b1', source)], 'a.yaml': [entry('a1', `${source}, related: [b1]`)], 'notes.txt': ['ignored'] });
    expect(loaded.problems).toEqual([]);
    expect(loaded.ids).toEqual(['a1', 'b1']);
    expect(loaded.related).toEqual({ a1: ['b1'], b1: ['a1'] });
  });

  it('THEN an id used in two files, an unknown related id and a missing source are each reported with file and entry', () => {
    expect(load({ 'a.yaml': [entry('a1', source)], 'b.yaml': [entry('a1', source), entry('b2')] }).problems).toEqual([
      '<dir>/questions/b.yaml: question "b2": field "source" is missing; name the episode and scene that settle the fact, like { episode: 7x22, scene: "the duel" }',
      '<dir>/questions/b.yaml: question "a1": field "id": "a1" is already used by <dir>/questions/a.yaml: question "a1"; each question needs its own id',
    ]);
    expect(load({ 'a.yaml': [entry('a1', `${source}, related: [b9]`)] }).problems).toEqual([
      '<dir>/questions/a.yaml: question "a1": field "related": "b9" is not the id of any question in the question files',
    ]);
    expect(load({}).problems).toEqual(['<dir>/questions: the folder has no .yaml files; the bank needs at least one file of questions']);
  });
});

describe('GIVEN a server question pack', () => {
  const { episodes } = loadContent();
  const pack = (name: string) => readFileSync(join(root, fixtures, 'packs', name), 'utf8');

  it('THEN a YAML list of questions is accepted', () => {
    const result = parseQuestionPack(pack('good.yaml'), 'good.yaml', episodes);
    expect(result.ok && result.questions.map((q) => q.id)).toEqual(['our-favourite-bar', 'our-last-line']);
  });

  it('THEN JSON with a "questions" key is accepted', () => {
    const result = parseQuestionPack(pack('good.json'), 'good.json', episodes);
    expect(result).toMatchObject({ ok: true, questions: [{ id: 'json-sisko-died', type: 'true-false', answer: false }] });
  });

  it('THEN every problem in a bad pack is listed, naming the entry by id or by position and line', () => {
    const result = parseQuestionPack(pack('bad.yaml'), 'bad.yaml', episodes);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual([
      'bad.yaml: question "Bad Id": field "id": must be lowercase letters and digits joined by dashes, like "war-death-toll"',
      'bad.yaml: question "Bad Id": field "category": "trivia" is not a known category; use one of: war, fire-caves, montage, characters, production, rewatch',
      'bad.yaml: question "Bad Id": field "answer": must be true or false, but is the text "yes"; write true or false without quotes (YAML reads yes/no/on/off as plain text, not as a boolean)',
      `bad.yaml: question "Bad Id": field "spoils": "9x01" is not an episode listed in the bot's episode list`,
      'bad.yaml: question #2 (line 11): field "id": is missing',
      'bad.yaml: question #2 (line 11): field "difficulty": "impossible" is not a known difficulty; use one of: easy, medium, hard',
      'bad.yaml: question #2 (line 11): field "accepted": is an empty list',
      'bad.yaml: question "pack-mc": unknown field "hint" (check the spelling; allowed: id, category, difficulty, type, prompt, explanation, spoils, source, related, options, answer)',
      'bad.yaml: question "pack-mc": field "options": must have exactly 4 options, but has 5',
      'bad.yaml: question "pack-mc": field "answer": "a" does not exactly match any option; did you mean "A"?',
      'bad.yaml: question #4 (line 30): must be a mapping of fields (like "id: ..."), but is the text "just some text"',
    ]);
  });

  it('THEN related ids are checked within the pack and linked both ways; a source is optional but checked when given', () => {
    const entry = (id: string, extra = '') =>
      `- {id: ${id}, category: war, difficulty: easy, type: free-text, prompt: P, accepted: [a], explanation: E, spoils: 7x25${extra}}`;
    const linked = parseQuestionPack([entry('a', ', related: [b]'), entry('b'), entry('c')].join('\n'), 'p.yaml', episodes);
    expect(linked.ok && linked.questions.map((q) => [q.id, q.related])).toEqual([['a', ['b']], ['b', ['a']], ['c', undefined]]);
    const broken = parseQuestionPack(
      [
        entry('a', ', related: [nope, a]'),
        entry('b', ', source: {episode: 7x99, scene: S}'),
        entry('c', ', source: {scene: S}'),
        entry('d', ', source: {episode: 7x22, reference: Book, scene: S}'),
      ].join('\n'),
      'p.yaml',
      episodes,
    );
    expect(broken.ok ? [] : broken.problems).toEqual([
      `p.yaml: question "b": field "source", "episode": "7x99" is not an episode listed in the bot's episode list`,
      'p.yaml: question "c": field "source": needs exactly one of "episode" (an episode code like "7x22") and "reference" (a named work, for facts not on screen)',
      'p.yaml: question "d": field "source": needs exactly one of "episode" (an episode code like "7x22") and "reference" (a named work, for facts not on screen)',
    ]);
    const unknown = parseQuestionPack([entry('a', ', related: [nope, a]'), entry('b')].join('\n'), 'p.yaml', episodes);
    expect(unknown.ok ? [] : unknown.problems).toEqual([
      'p.yaml: question "a": field "related": "nope" is not the id of any question in this pack',
      'p.yaml: question "a": field "related": "a" is this question\'s own id; list only other questions',
    ]);
  });

  it('THEN an alias bomb, absurd nesting and broken JSON are ordinary problems, each in one line', () => {
    const problems = (text: string, name: string) => {
      const result = parseQuestionPack(text, name, episodes);
      return result.ok ? [] : result.problems;
    };
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    levels.push('questions: [*l7]');
    expect(problems(levels.join('\n'), 'bomb.yaml')).toEqual(['bomb.yaml: uses too many YAML aliases (*references to &anchors); write the entries out in full']);
    expect(problems(`${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'deep.yaml')).toEqual([
      'deep.yaml: lists or mappings are nested too deeply; the file should be a flat list of entries',
    ]);
    expect(problems('{"questions": [ {"id": "x",]}', 'broken.json')).toEqual([
      expect.stringMatching(/^broken\.json: JSON syntax error: .*position 27/),
    ]);
  });

  it('THEN a quoted "true" is refused just like yes/no', () => {
    const text = pack('good.json').replace('"answer": false', '"answer": "true"');
    const result = parseQuestionPack(text, 'quoted.json', episodes);
    expect(result.ok ? [] : result.problems).toEqual([
      'quoted.json: question "json-sisko-died": field "answer": must be true or false, but is the text "true"; write true or false without quotes (YAML reads yes/no/on/off as plain text, not as a boolean)',
    ]);
  });

  it('THEN over-long texts are reported with their length and the limit', () => {
    const text = pack('good.yaml').replace('Whose bar is on the promenade?', 'x'.repeat(251));
    const result = parseQuestionPack(text, 'long.yaml', episodes);
    expect(result.ok ? [] : result.problems).toEqual([
      'long.yaml: question "our-favourite-bar": field "prompt": is too long (251 characters; the limit is 250)',
    ]);
  });

  it('THEN more than 200 questions is refused before anything else', () => {
    const one = (i: number) =>
      `- {id: q-${i}, category: war, difficulty: easy, type: free-text, prompt: P, accepted: [a], explanation: E, spoils: 7x25}`;
    const ok = parseQuestionPack(Array.from({ length: 200 }, (_, i) => one(i)).join('\n'), 'max.yaml', episodes);
    expect(ok.ok && ok.questions).toHaveLength(200);
    const tooMany = parseQuestionPack(Array.from({ length: 201 }, (_, i) => one(i)).join('\n'), 'big.yaml', episodes);
    expect(tooMany).toEqual({
      ok: false,
      problems: ['big.yaml: the pack has 201 questions; the limit is 200, so split it into smaller packs'],
    });
  });

  it('THEN empty, malformed and wrongly shaped packs get one clear line each', () => {
    const problems = (text: string) => {
      const result = parseQuestionPack(text, 'p.yaml', episodes);
      return result.ok ? [] : result.problems;
    };
    expect(problems('')).toEqual(['p.yaml: the file is empty; it should contain a list of questions (or "questions:" followed by a list)']);
    expect(problems('[]')).toEqual(['p.yaml: the pack contains no questions']);
    expect(problems('questions: 3')).toEqual(['p.yaml: field "questions" must be a list, but is the number 3']);
    expect(problems('quiz: []')).toEqual([
      'p.yaml: unknown top-level field "quiz"; only "questions" is expected',
      'p.yaml: field "questions" is missing; the file should contain a list of questions (or "questions:" followed by a list)',
    ]);
    expect(problems('{"questions": [}')[0]).toMatch(/^p\.yaml: line 1, column \d+: YAML syntax error: /);
  });
});
