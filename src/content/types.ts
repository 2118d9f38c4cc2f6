/** The shapes of the bot's reviewed content, as the rest of the bot sees them (validated and resolved). */

export type Category = 'war' | 'fire-caves' | 'montage' | 'characters' | 'production' | 'rewatch';

export const CATEGORIES: readonly Category[] = [
  'war',
  'fire-caves',
  'montage',
  'characters',
  'production',
  'rewatch',
];

export const CATEGORY_LABELS: Record<Category, string> = {
  war: 'The Dominion War',
  'fire-caves': 'Prophets and Pah-wraiths',
  montage: 'The farewell montage',
  characters: 'Characters',
  production: 'Behind the scenes',
  rewatch: 'Rewatching',
};

export type Difficulty = 'easy' | 'medium' | 'hard';
export const DIFFICULTIES: readonly Difficulty[] = ['easy', 'medium', 'hard'];

export type QuestionType = 'multiple-choice' | 'true-false' | 'free-text';
export const QUESTION_TYPES: readonly QuestionType[] = ['multiple-choice', 'true-false', 'free-text'];

export type Verdict = 'myth' | 'fact';
export const VERDICTS: readonly Verdict[] = ['myth', 'fact'];

/** Where a reviewer checks a fact: an episode and scene, or (for facts not on screen) a named reference. */
export interface Source {
  /** Episode code ("7x22") whose scene settles the fact. */
  readonly episode?: string;
  /** A work other than an episode, e.g. "What We Left Behind (2018 documentary)". */
  readonly reference?: string;
  /** Where in it: "Worf's duel with Gowron". */
  readonly scene: string;
}

interface QuestionBase {
  readonly id: string;
  readonly category: Category;
  readonly difficulty: Difficulty;
  readonly prompt: string;
  /** Short text shown when the answer is revealed. */
  readonly explanation: string;
  /** Episode code ("7x25") this question would spoil; safe once that episode has been watched. */
  readonly spoils: string;
  /** What settles the fact. Every question of the shipped bank has one; a server's pack may leave it out. */
  readonly source?: Source;
  /**
   * Questions that give this one away or are given away by it: never asked in the same game. Symmetric once
   * loaded. Absent on pack questions saved before the field existed.
   */
  readonly related?: readonly string[];
}

export interface MultipleChoiceQuestion extends QuestionBase {
  readonly type: 'multiple-choice';
  readonly options: readonly [string, string, string, string];
  /** Always equal to one of `options`. */
  readonly answer: string;
}

export interface TrueFalseQuestion extends QuestionBase {
  readonly type: 'true-false';
  readonly answer: boolean;
}

export interface FreeTextQuestion extends QuestionBase {
  readonly type: 'free-text';
  /** The forms people type that count as right, e.g. "800 million", "800m". Matching/normalising is the trivia module's job. */
  readonly accepted: readonly string[];
}

export type Question = MultipleChoiceQuestion | TrueFalseQuestion | FreeTextQuestion;

export interface Myth {
  readonly id: string;
  /** Short name for autocomplete, e.g. "Sisko died". */
  readonly title: string;
  /** The claim as a fan would say it. */
  readonly claim: string;
  readonly verdict: Verdict;
  /** Completes "7 of 10 ___" for the people who voted "Fact", e.g. "thought Sisko died". */
  readonly believers: string;
  readonly explanation: string;
  readonly source: Source;
  readonly spoils: string;
}

export interface Episode {
  /** "7x20": season, "x", two-digit episode number. */
  readonly code: string;
  readonly title: string;
  /** Original US air date, YYYY-MM-DD. */
  readonly airDate: string;
  /** 3 to 5 discussion prompts that spoil nothing after this episode. */
  readonly prompts: readonly string[];
}

export interface RewatchPlan {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly isDefault: boolean;
  /** Resolved from the catalogue, in viewing order. */
  readonly episodes: readonly Episode[];
}

export interface Content {
  readonly questions: readonly Question[];
  readonly myths: readonly Myth[];
  /** The catalogue, sorted by episode order. */
  readonly episodes: readonly Episode[];
  readonly plans: readonly RewatchPlan[];
  readonly defaultPlan: RewatchPlan;
}

/** Length limits; options become Discord button labels (80 characters at most). */
export const LIMITS = {
  id: 60,
  prompt: 250,
  option: 80,
  explanation: 300,
  sourceScene: 150,
  sourceReference: 100,
  related: 20,
  accepted: 100,
  mythTitle: 100,
  mythClaim: 250,
  believers: 80,
  mythExplanation: 400,
  episodeTitle: 100,
  episodePrompt: 300,
  planName: 100,
  planDescription: 300,
  packQuestions: 200,
} as const;
