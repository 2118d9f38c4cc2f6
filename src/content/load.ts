import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { findProjectRoot, projectPath } from '../util/project-root.js';
import { linkRelated, validateEpisodes, validateMyths, validatePlans, validateQuestions } from './validate.js';
import type { Catalogue, EntryList, ValidatedQuestions } from './validate.js';
import { readEntryList } from './yaml-source.js';
import type { Content, Episode, Question, RewatchPlan } from './types.js';

/** Thrown by loadContent; `message` is the problems joined by newlines, one actionable line each. */
export class ContentError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ContentError';
    this.problems = problems;
  }
}

export function defaultDataDir(): string {
  return projectPath('data');
}

export const DATA_FILES = {
  episodes: 'episodes.yaml',
  plans: 'plans.yaml',
  /** A folder: every `.yaml` file in it holds questions (one file per episode, by convention). */
  questions: 'questions',
  myths: 'myths.yaml',
} as const;

/**
 * Reads and validates the data files and returns the content, or throws a ContentError listing every
 * problem found in all of them. Call it once at start-up and pass the result along.
 */
export function loadContent(dataDir: string = defaultDataDir()): Content {
  const root = safeProjectRoot(dataDir);
  const problems: string[] = [];
  const read = (file: string, listKey: string): EntryList | undefined => {
    const path = resolve(dataDir, file);
    const fileName = displayName(path, root);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      problems.push(`${fileName}: ${missing ? 'file not found' : `cannot be read (${(error as Error).message})`}`);
      return undefined;
    }
    const source = readEntryList(text, fileName, listKey);
    if (!source.ok) {
      problems.push(...source.problems);
      return undefined;
    }
    return { fileName, items: source.items, lineOf: source.lineOf };
  };

  const episodeList = read(DATA_FILES.episodes, 'episodes');
  const planList = read(DATA_FILES.plans, 'plans');
  const questionFiles = questionFileNames(resolve(dataDir, DATA_FILES.questions), problems, (path) => displayName(path, root));
  const questionLists = questionFiles?.map((file) => read(join(DATA_FILES.questions, file), 'questions'));
  const mythList = read(DATA_FILES.myths, 'myths');

  const episodes = episodeList ? validateEpisodes(episodeList) : undefined;
  if (episodes) problems.push(...episodes.problems);
  // Without a readable catalogue, references to episodes cannot be checked (the catalogue's own problems are reported).
  const catalogue: Catalogue | undefined = episodes && episodeList
    ? { codes: episodes.codes, source: displayName(resolve(dataDir, DATA_FILES.episodes), root) }
    : undefined;
  const plans = planList ? validatePlans(planList, catalogue) : undefined;
  const questionGroups = questionLists?.flatMap((list) =>
    list ? [validateQuestions(list, catalogue, { sourceRequired: true })] : [],
  );
  const myths = mythList ? validateMyths(mythList, catalogue) : undefined;
  for (const result of [plans, ...(questionGroups ?? []), myths]) if (result) problems.push(...result.problems);
  const questions = questionGroups ? checkAcrossFiles(questionGroups, problems) : undefined;

  if (problems.length > 0 || !episodes || !plans || !questions || !myths) throw new ContentError(problems);

  const byCode = new Map(episodes.values.map((episode) => [episode.code, episode]));
  const resolved: RewatchPlan[] = plans.values.map((plan) => ({
    id: plan.id,
    name: plan.name,
    description: plan.description,
    isDefault: plan.isDefault,
    episodes: plan.episodeCodes.map((code) => byCode.get(code) as Episode),
  }));
  const defaultPlan = resolved.find((plan) => plan.isDefault) as RewatchPlan;
  return { questions, myths: myths.values, episodes: episodes.values, plans: resolved, defaultPlan };
}

/** The `.yaml` files of the questions folder, in name order; undefined (with a problem) when there are none. */
function questionFileNames(folder: string, problems: string[], name: (path: string) => string): string[] | undefined {
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.push(`${name(folder)}: ${missing ? 'folder not found' : `cannot be read (${(error as Error).message})`}`);
    return undefined;
  }
  if (files.length === 0) {
    problems.push(`${name(folder)}: the folder has no .yaml files; the bank needs at least one file of questions`);
    return undefined;
  }
  return files;
}

/**
 * Ids are unique across the whole bank, and `related` may point into any file (checked once every file is
 * otherwise clean, so that an entry with problems elsewhere is not reported again as an unknown id).
 */
function checkAcrossFiles(groups: readonly ValidatedQuestions[], problems: string[]): Question[] | undefined {
  const firstLabel = new Map<string, string>();
  for (const group of groups) {
    for (const [id, label] of group.labels) {
      const first = firstLabel.get(id);
      if (first === undefined) firstLabel.set(id, label);
      else problems.push(`${label}: field "id": "${id}" is already used by ${first}; each question needs its own id`);
    }
  }
  if (problems.length > 0) return undefined;
  const linked = linkRelated(groups, 'the question files');
  problems.push(...linked.problems);
  return problems.length > 0 ? undefined : linked.values;
}

function safeProjectRoot(dataDir: string): string | undefined {
  try {
    return findProjectRoot(dataDir);
  } catch {
    return undefined;
  }
}

/** "data/questions.yaml" for files inside the project, the absolute path otherwise. */
function displayName(path: string, root: string | undefined): string {
  if (root === undefined) return path;
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}
