import type { z } from 'zod';
import { episodeOrder, isEpisodeCode } from './episode-code.js';
import { describeValue, entryLabel, formatIssues } from './problems.js';
import {
  episodeSchema,
  mythSchema,
  planSchema,
  QUESTION_VARIANT_SCHEMAS,
  questionBaseSchema,
} from './schemas.js';
import { QUESTION_TYPES } from './types.js';
import type { Episode, Myth, Question, QuestionType } from './types.js';

/**
 * Entry-by-entry validation of the parsed data files. Every function reports all the problems it finds
 * (one actionable line each) and returns the entries that passed.
 */

export interface EntryList {
  readonly fileName: string;
  readonly items: readonly unknown[];
  readonly lineOf: (index: number) => number | undefined;
}

/** The episode codes items may refer to, and how to name their source in messages. */
export interface Catalogue {
  readonly codes: ReadonlySet<string>;
  readonly source: string;
}

interface Validated<T> {
  readonly values: T[];
  readonly problems: string[];
}

export interface PlanDraft {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly isDefault: boolean;
  readonly episodeCodes: readonly string[];
}

const PARSE_OPTIONS = { reportInput: true } as const;

function asRecord(raw: unknown): Record<string, unknown> | undefined {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

function trimmedString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Walks the entries of one file: labels each entry (by id, with its position when the id is repeated),
 * reports entries that are not mappings, unknown fields and repeated ids, and hands the rest to `check`.
 */
function eachEntry(
  list: EntryList,
  kind: string,
  idField: string,
  check: (record: Record<string, unknown>, prefix: string, problems: string[]) => void,
): string[] {
  const problems: string[] = [];
  const firstIndexById = new Map<string, number>();
  const idCounts = new Map<string, number>();
  for (const raw of list.items) {
    const id = trimmedString(asRecord(raw)?.[idField]);
    if (id !== undefined) idCounts.set(id, (idCounts.get(id) ?? 0) + 1);
  }

  list.items.forEach((raw, index) => {
    const record = asRecord(raw);
    const id = trimmedString(record?.[idField]);
    const repeated = id !== undefined && (idCounts.get(id) ?? 0) > 1;
    const label = repeated
      ? `${kind} "${id}" (#${index + 1})`
      : entryLabel(kind, id, index, list.lineOf(index));
    const prefix = `${list.fileName}: ${label}`;

    if (!record) {
      problems.push(`${prefix}: must be a mapping of fields (like "${idField}: ..."), but is ${describeValue(raw)}`);
      return;
    }
    if (repeated && id !== undefined) {
      const first = firstIndexById.get(id);
      if (first === undefined) firstIndexById.set(id, index);
      else {
        problems.push(
          `${prefix}: field "${idField}": "${id}" is already used by ${kind} #${first + 1}; each ${kind} needs its own ${idField}`,
        );
      }
    }
    check(record, prefix, problems);
  });
  return problems;
}

function unknownFields(record: Record<string, unknown>, allowed: ReadonlySet<string>, prefix: string): string[] {
  return Object.keys(record)
    .filter((key) => !allowed.has(key))
    .map((key) => `${prefix}: unknown field "${key}" (check the spelling; allowed: ${[...allowed].join(', ')})`);
}

/** `spoils` and `source.episode` must name episodes the catalogue knows. */
function episodeProblems(record: Record<string, unknown>, prefix: string, catalogue: Catalogue | undefined): string[] {
  const fields: [string, unknown][] = [
    ['field "spoils"', record['spoils']],
    ['field "source", "episode"', asRecord(record['source'])?.['episode']],
  ];
  return fields.flatMap(([field, value]) => {
    const code = trimmedString(value);
    if (!catalogue || code === undefined || !isEpisodeCode(code) || catalogue.codes.has(code)) return [];
    return [`${prefix}: ${field}: "${code}" is not an episode listed in ${catalogue.source}`];
  });
}

function parseWith<S extends z.ZodType>(schema: S, record: unknown, prefix: string, problems: string[]): z.infer<S> | undefined {
  const result = schema.safeParse(record, PARSE_OPTIONS);
  if (result.success) return result.data;
  problems.push(...formatIssues(prefix, result.error.issues));
  return undefined;
}

// ---------------------------------------------------------------- questions

const BASE_QUESTION_FIELDS = Object.keys(questionBaseSchema.shape);
const VARIANT_FIELDS: Record<QuestionType, string[]> = {
  'multiple-choice': Object.keys(QUESTION_VARIANT_SCHEMAS['multiple-choice'].shape),
  'true-false': Object.keys(QUESTION_VARIANT_SCHEMAS['true-false'].shape),
  'free-text': Object.keys(QUESTION_VARIANT_SCHEMAS['free-text'].shape),
};
const ALL_VARIANT_FIELDS = new Set(Object.values(VARIANT_FIELDS).flat());

function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === 'string' && (QUESTION_TYPES as readonly string[]).includes(value.trim());
}

export interface ValidatedQuestions extends Validated<Question> {
  /** How each question is named in messages ("data/questions/7x22.yaml: question \"tacking-duel\""), by id. */
  readonly labels: ReadonlyMap<string, string>;
}

export interface QuestionRules {
  /** The shipped bank names a source for every question; a server's pack may leave it out. */
  readonly sourceRequired: boolean;
}

export function validateQuestions(list: EntryList, catalogue: Catalogue | undefined, rules: QuestionRules): ValidatedQuestions {
  const values: Question[] = [];
  const labels = new Map<string, string>();
  const problems = eachEntry(list, 'question', 'id', (record, prefix, out) => {
    const type = isQuestionType(record['type']) ? (record['type'].trim() as QuestionType) : undefined;
    const allowed = new Set([...BASE_QUESTION_FIELDS, ...(type ? VARIANT_FIELDS[type] : ALL_VARIANT_FIELDS)]);
    out.push(...unknownFields(record, allowed, prefix));

    const base = parseWith(questionBaseSchema, record, prefix, out);
    let question: Question | undefined;
    if (type === 'multiple-choice') {
      const fields = parseWith(QUESTION_VARIANT_SCHEMAS[type], record, prefix, out);
      if (base && fields) {
        const options = fields.options as unknown as readonly [string, string, string, string];
        question = { ...base, type, options, answer: fields.answer };
      }
    } else if (type === 'true-false') {
      const fields = parseWith(QUESTION_VARIANT_SCHEMAS[type], record, prefix, out);
      if (base && fields) question = { ...base, type, answer: fields.answer };
    } else if (type === 'free-text') {
      const fields = parseWith(QUESTION_VARIANT_SCHEMAS[type], record, prefix, out);
      if (base && fields) question = { ...base, type, accepted: fields.accepted };
    }

    const episodes = episodeProblems(record, prefix, catalogue);
    out.push(...episodes);
    if (rules.sourceRequired && record['source'] === undefined) {
      out.push(`${prefix}: field "source" is missing; name the episode and scene that settle the fact, like { episode: 7x22, scene: "the duel" }`);
    }
    if (question && episodes.length === 0) {
      values.push(question);
      labels.set(question.id, prefix);
    }
  });
  return { values: problems.length === 0 ? values : [], problems, labels };
}

/**
 * Checks every `related` id against the questions given (all files of the bank, or one pack) and makes the
 * relation symmetric: when A lists B, B is related to A too. Returns the questions with their full lists.
 */
export function linkRelated(groups: readonly ValidatedQuestions[], scope: string): Validated<Question> {
  const all = groups.flatMap((group) => group.values);
  const ids = new Set(all.map((q) => q.id));
  const problems: string[] = [];
  const links = new Map<string, Set<string>>(all.map((q) => [q.id, new Set<string>()]));
  for (const group of groups) {
    for (const question of group.values) {
      for (const other of question.related ?? []) {
        const prefix = `${group.labels.get(question.id)}: field "related"`;
        if (other === question.id) problems.push(`${prefix}: "${other}" is this question's own id; list only other questions`);
        else if (!ids.has(other)) problems.push(`${prefix}: "${other}" is not the id of any question in ${scope}`);
        else {
          links.get(question.id)!.add(other);
          links.get(other)!.add(question.id);
        }
      }
    }
  }
  if (problems.length > 0) return { values: [], problems };
  const values = all.map((q) => {
    const related = [...links.get(q.id)!].sort();
    return related.length > 0 ? { ...q, related } : withoutRelated(q);
  });
  return { values, problems };
}

function withoutRelated(question: Question): Question {
  const { related: _unused, ...rest } = question;
  return rest as Question;
}

// ---------------------------------------------------------------- myths

const MYTH_FIELDS = new Set(Object.keys(mythSchema.shape));

export function validateMyths(list: EntryList, catalogue: Catalogue | undefined): Validated<Myth> {
  const values: Myth[] = [];
  const problems = eachEntry(list, 'myth', 'id', (record, prefix, out) => {
    out.push(...unknownFields(record, MYTH_FIELDS, prefix));
    const myth = parseWith(mythSchema, record, prefix, out);
    out.push(...episodeProblems(record, prefix, catalogue));
    if (myth) values.push(myth);
  });
  return { values: problems.length === 0 ? values : [], problems };
}

// ---------------------------------------------------------------- episodes

const EPISODE_FIELDS = new Set(Object.keys(episodeSchema.shape));

export interface ValidatedEpisodes extends Validated<Episode> {
  /** Every well-formed code in the file, even on entries with other problems, so that other files are checked against it. */
  readonly codes: ReadonlySet<string>;
}

export function validateEpisodes(list: EntryList): ValidatedEpisodes {
  const values: Episode[] = [];
  const codes = new Set<string>();
  const problems = eachEntry(list, 'episode', 'code', (record, prefix, out) => {
    out.push(...unknownFields(record, EPISODE_FIELDS, prefix));
    const code = trimmedString(record['code']);
    if (code !== undefined && isEpisodeCode(code)) codes.add(code);
    const episode = parseWith(episodeSchema, record, prefix, out);
    if (episode) values.push(episode);
  });
  values.sort((a, b) => episodeOrder(a.code) - episodeOrder(b.code));
  return { values: problems.length === 0 ? values : [], problems, codes };
}

// ---------------------------------------------------------------- plans

const PLAN_FIELDS = new Set(Object.keys(planSchema.shape));

export function validatePlans(list: EntryList, catalogue: Catalogue | undefined): Validated<PlanDraft> {
  const values: PlanDraft[] = [];
  const defaults: string[] = [];
  const problems = eachEntry(list, 'plan', 'id', (record, prefix, out) => {
    out.push(...unknownFields(record, PLAN_FIELDS, prefix));
    const plan = parseWith(planSchema, record, prefix, out);
    if (record['default'] === true) defaults.push(trimmedString(record['id']) ?? '(no id)');
    out.push(...planEpisodeProblems(record['episodes'], prefix, catalogue));
    if (plan) {
      values.push({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        isDefault: plan.default,
        episodeCodes: plan.episodes,
      });
    }
  });

  if (list.items.length === 0) {
    problems.push(`${list.fileName}: there are no plans; add at least one and mark it default: true`);
  } else if (defaults.length === 0) {
    problems.push(`${list.fileName}: no plan has default: true; mark exactly one plan as the default`);
  } else if (defaults.length > 1) {
    problems.push(
      `${list.fileName}: ${defaults.length} plans have default: true (${defaults.map((id) => `"${id}"`).join(', ')}); ` +
        'exactly one plan may be the default',
    );
  }
  return { values: problems.length === 0 ? values : [], problems };
}

function planEpisodeProblems(raw: unknown, prefix: string, catalogue: Catalogue | undefined): string[] {
  if (!Array.isArray(raw)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let previous: string | undefined;
  raw.forEach((item, index) => {
    const code = trimmedString(item);
    if (code === undefined || !isEpisodeCode(code)) return;
    const field = `field "episodes", item ${index + 1}`;
    if (catalogue && !catalogue.codes.has(code)) {
      problems.push(`${prefix}: ${field}: "${code}" is not an episode listed in ${catalogue.source}`);
    }
    if (seen.has(code)) problems.push(`${prefix}: ${field}: "${code}" is listed more than once`);
    else if (previous !== undefined && episodeOrder(code) < episodeOrder(previous)) {
      problems.push(`${prefix}: ${field}: "${code}" comes after "${previous}"; list the episodes in airing order`);
    }
    seen.add(code);
    previous = code;
  });
  return problems;
}
