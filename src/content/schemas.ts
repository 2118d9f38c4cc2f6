import { z } from 'zod';
import { EPISODE_CODE_PATTERN } from './episode-code.js';
import { truncate } from './problems.js';
import { CATEGORIES, DIFFICULTIES, LIMITS, QUESTION_TYPES, VERDICTS } from './types.js';
import type { Category, Difficulty, QuestionType, Verdict } from './types.js';

/**
 * zod schemas for the four data files. Messages here are written for the people who edit the YAML;
 * problems.ts adds the file, entry and field in front of them.
 */

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { abort: true })
    .max(max);

const idSchema = text(LIMITS.id).regex(
  /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  'must be lowercase letters and digits joined by dashes, like "war-death-toll"',
);

export const episodeCodeSchema = z
  .string()
  .trim()
  .min(1, { abort: true })
  .regex(EPISODE_CODE_PATTERN, 'must be an episode code like "7x20" (season, "x", two-digit episode number)');

/**
 * A real YAML boolean. The yaml package reads YAML 1.2, where `yes`, `no`, `on` and `off` are plain text,
 * so they fail here (with a message that says so) instead of silently becoming true or false.
 */
const yamlBoolean = z.boolean();

const airDateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD, like "1999-06-02"', abort: true })
  .refine(isCalendarDate, 'is not a real calendar date');

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The same text listed twice (ignoring case and surrounding spaces). */
function findRepeats(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeats: string[] = [];
  for (const value of values) {
    const key = value.trim().toLowerCase();
    if (seen.has(key)) repeats.push(value);
    seen.add(key);
  }
  return repeats;
}

// ---------------------------------------------------------------- sources

/** `{ episode: 7x22, scene: ... }` or `{ reference: ..., scene: ... }`: exactly one of episode and reference. */
export const sourceSchema = z.strictObject(
    {
      episode: episodeCodeSchema.optional(),
      reference: text(LIMITS.sourceReference).optional(),
      scene: text(LIMITS.sourceScene),
    },
    { error: 'must be a mapping like { episode: 7x22, scene: "the duel with Gowron" }' },
  )
  .superRefine((source, ctx) => {
    if ((source.episode === undefined) === (source.reference === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs exactly one of "episode" (an episode code like "7x22") and "reference" (a named work, for facts not on screen)',
      });
    }
  });

// ---------------------------------------------------------------- questions

const relatedSchema = z
  .array(idSchema)
  .max(LIMITS.related)
  .superRefine((ids, ctx) => {
    for (const repeat of findRepeats(ids)) ctx.addIssue({ code: 'custom', message: `"${repeat}" is listed more than once` });
  });

export const questionBaseSchema = z.object({
  id: idSchema,
  category: z.enum(CATEGORIES as [Category, ...Category[]]),
  difficulty: z.enum(DIFFICULTIES as [Difficulty, ...Difficulty[]]),
  type: z.enum(QUESTION_TYPES as [QuestionType, ...QuestionType[]]),
  prompt: text(LIMITS.prompt),
  explanation: text(LIMITS.explanation),
  spoils: episodeCodeSchema,
  source: sourceSchema.optional(),
  related: relatedSchema.optional(),
});

const OPTION_COUNT = 4;

export const multipleChoiceFieldsSchema = z
  .object({
    options: z.array(text(LIMITS.option)).superRefine((options, ctx) => {
      if (options.length !== OPTION_COUNT) {
        ctx.addIssue({
          code: 'custom',
          message: `must have exactly ${OPTION_COUNT} options, but has ${options.length}`,
        });
      }
      for (const repeat of findRepeats(options)) {
        ctx.addIssue({ code: 'custom', message: `"${repeat}" is listed more than once; the options must all differ` });
      }
    }),
    answer: text(LIMITS.option),
  })
  .superRefine(({ options, answer }, ctx) => {
    if (options.includes(answer)) return;
    const nearly = options.find((option) => option.toLowerCase() === answer.toLowerCase());
    ctx.addIssue({
      code: 'custom',
      path: ['answer'],
      message: nearly
        ? `"${answer}" does not exactly match any option; did you mean "${nearly}"?`
        : `"${answer}" is not one of the ${options.length} options; copy the right option here exactly`,
    });
  });

export const trueFalseFieldsSchema = z.object({
  answer: yamlBoolean,
});

export const freeTextFieldsSchema = z.object({
  accepted: z
    .array(text(LIMITS.accepted))
    .min(1)
    .superRefine((accepted, ctx) => {
      for (const repeat of findRepeats(accepted)) {
        ctx.addIssue({ code: 'custom', message: `"${repeat}" is listed more than once` });
      }
    }),
});

export const QUESTION_VARIANT_SCHEMAS = {
  'multiple-choice': multipleChoiceFieldsSchema,
  'true-false': trueFalseFieldsSchema,
  'free-text': freeTextFieldsSchema,
} as const satisfies Record<QuestionType, z.ZodType>;

// ---------------------------------------------------------------- myths

export const mythSchema = z.object({
  id: idSchema,
  title: text(LIMITS.mythTitle),
  claim: text(LIMITS.mythClaim),
  verdict: z.enum(VERDICTS as [Verdict, ...Verdict[]]),
  believers: text(LIMITS.believers),
  explanation: text(LIMITS.mythExplanation),
  source: sourceSchema,
  spoils: episodeCodeSchema,
});

// ---------------------------------------------------------------- episodes

const MIN_PROMPTS = 3;
const MAX_PROMPTS = 5;

export const episodeSchema = z.object({
  code: episodeCodeSchema,
  title: text(LIMITS.episodeTitle),
  airDate: airDateSchema,
  prompts: z.array(text(LIMITS.episodePrompt)).superRefine((prompts, ctx) => {
    if (prompts.length < MIN_PROMPTS || prompts.length > MAX_PROMPTS) {
      ctx.addIssue({
        code: 'custom',
        message: `must have ${MIN_PROMPTS} to ${MAX_PROMPTS} prompts, but has ${prompts.length}`,
      });
    }
    for (const repeat of findRepeats(prompts)) {
      ctx.addIssue({ code: 'custom', message: `"${truncate(repeat, 40)}" is listed more than once` });
    }
  }),
});

// ---------------------------------------------------------------- plans

export const planSchema = z.object({
  id: idSchema,
  name: text(LIMITS.planName),
  description: text(LIMITS.planDescription),
  default: yamlBoolean,
  episodes: z.array(episodeCodeSchema).min(1),
});

export type QuestionBaseInput = z.infer<typeof questionBaseSchema>;
export type MythInput = z.infer<typeof mythSchema>;
export type EpisodeInput = z.infer<typeof episodeSchema>;
export type PlanInput = z.infer<typeof planSchema>;
