export { CATEGORIES, CATEGORY_LABELS, DIFFICULTIES, LIMITS, QUESTION_TYPES, VERDICTS } from './types.js';
export type {
  Category,
  Content,
  Difficulty,
  Episode,
  FreeTextQuestion,
  MultipleChoiceQuestion,
  Myth,
  Question,
  QuestionType,
  RewatchPlan,
  TrueFalseQuestion,
  Verdict,
} from './types.js';
export { episodeOrder, isEpisodeCode, EPISODE_CODE_PATTERN } from './episode-code.js';
export { ContentError, loadContent, defaultDataDir } from './load.js';
export { findProjectRoot } from '../util/project-root.js';
export { parseQuestionPack } from './question-pack.js';
export type { QuestionPackResult } from './question-pack.js';
