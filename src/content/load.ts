import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { findProjectRoot, projectPath } from '../util/project-root.js';
import { validateEpisodes, validateMyths, validatePlans, validateQuestions } from './validate.js';
import type { Catalogue, EntryList } from './validate.js';
import { readEntryList } from './yaml-source.js';
import type { Content, Episode, RewatchPlan } from './types.js';

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
  questions: 'questions.yaml',
  myths: 'myths.yaml',
} as const;

/**
 * Reads and validates the four data files and returns the content, or throws a ContentError listing
 * every problem found in all of them. Call it once at start-up and pass the result along.
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
  const questionList = read(DATA_FILES.questions, 'questions');
  const mythList = read(DATA_FILES.myths, 'myths');

  const episodes = episodeList ? validateEpisodes(episodeList) : undefined;
  if (episodes) problems.push(...episodes.problems);
  // Without a readable catalogue, references to episodes cannot be checked (the catalogue's own problems are reported).
  const catalogue: Catalogue | undefined = episodes && episodeList
    ? { codes: episodes.codes, source: displayName(resolve(dataDir, DATA_FILES.episodes), root) }
    : undefined;
  const plans = planList ? validatePlans(planList, catalogue) : undefined;
  const questions = questionList ? validateQuestions(questionList, catalogue) : undefined;
  const myths = mythList ? validateMyths(mythList, catalogue) : undefined;
  for (const result of [plans, questions, myths]) if (result) problems.push(...result.problems);

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
  return { questions: questions.values, myths: myths.values, episodes: episodes.values, plans: resolved, defaultPlan };
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
