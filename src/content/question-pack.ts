import { readEntryList } from './yaml-source.js';
import { linkRelated, validateQuestions } from './validate.js';
import type { Episode, Question } from './types.js';
import { LIMITS } from './types.js';

export type QuestionPackResult = { ok: true; questions: Question[] } | { ok: false; problems: string[] };

const MAX_PACK_CHARACTERS = 1_000_000;

/**
 * Validates a server's own question pack (YAML or JSON text: a list of questions, or `questions:` with a list)
 * exactly like the shipped bank, against the bot's episode catalogue. At most 200 questions.
 */
export function parseQuestionPack(text: string, fileName: string, episodes: readonly Episode[]): QuestionPackResult {
  if (text.length > MAX_PACK_CHARACTERS) {
    return { ok: false, problems: [`${fileName}: the file is too large (the limit is ${MAX_PACK_CHARACTERS} characters)`] };
  }
  if (/\.json$/i.test(fileName)) {
    try {
      JSON.parse(text);
    } catch (error) {
      return { ok: false, problems: [`${fileName}: JSON syntax error: ${(error as Error).message}`] };
    }
  }
  // JSON is YAML too: the same reader gives every entry its line number.
  const source = readEntryList(text, fileName, 'questions');
  if (!source.ok) return { ok: false, problems: source.problems };
  if (source.items.length === 0) return { ok: false, problems: [`${fileName}: the pack contains no questions`] };
  if (source.items.length > LIMITS.packQuestions) {
    return {
      ok: false,
      problems: [
        `${fileName}: the pack has ${source.items.length} questions; the limit is ${LIMITS.packQuestions}, so split it into smaller packs`,
      ],
    };
  }
  const catalogue = { codes: new Set(episodes.map((episode) => episode.code)), source: "the bot's episode list" };
  const result = validateQuestions({ fileName, items: source.items, lineOf: source.lineOf }, catalogue, { sourceRequired: false });
  if (result.problems.length > 0) return { ok: false, problems: result.problems };
  const linked = linkRelated([result], 'this pack');
  return linked.problems.length > 0 ? { ok: false, problems: linked.problems } : { ok: true, questions: linked.values };
}
