/**
 * Fair trivia answer matching and forgiving title search.
 *
 * Matching rules (isCorrectAnswer):
 * - Both sides go through normalizeText (NFKC, case-fold, accents stripped,
 *   apostrophes deleted, other punctuation and hyphens become spaces) and lose
 *   one leading article ("the", "a", "an") when other words follow it.
 * - Numbers are read by value (see numbers.ts) and must be identical, in order:
 *   a number never gets a typo allowance.
 * - The remaining words are compared whole, never as substrings. Words are aligned
 *   one to one, where each pair may differ by the typo allowance of the SHORTER
 *   word of the pair (0 edits up to 4 letters, 1 up to 10, 2 beyond; an adjacent
 *   transposition is one edit). Using the shorter word keeps matching symmetric
 *   and keeps short words strict: "Marc" vs "Mark" is wrong, "Alaimo" vs "Alamo"
 *   is right. Several words may also line up with one word when they spell it
 *   exactly ("jem hadar" = "jemhadar"); such merges get no typo allowance, so
 *   "quark s" is not "quark".
 * - A long answer (4 or more words and 12 or more letters on both sides, after a
 *   leading article; names of people are shorter and stay strict) may carry
 *   one slip beyond that: one word pair whose shorter word has 3 or more letters
 *   may differ by one more edit than its allowance, once per answer ("The
 *   Changing Faces of Evil" = "The Changing Face of Evil"). Numbers stay exact.
 * - A scale word right after a number may have one letter wrong ("800 millon"),
 *   and dots may group thousands ("800.000.000"); see numbers.ts / normalize.ts.
 * - Extra words never match: "Gul Dukat" is not "Dukat" (and vice versa) unless
 *   the accepted list names both forms.
 * - Empty, punctuation-only or over-long (> 200 characters) answers are wrong.
 */
import { normalizeText, splitTokens, titleSearchWords } from './normalize.js';
import { separateNumbers } from './numbers.js';

export { normalizeText } from './normalize.js';

export const MAX_ANSWER_LENGTH = 200;
/** Longest run of words that may line up with a single word ("the jem hadar" style splits). */
const MAX_MERGED_WORDS = 4;
const LEADING_ARTICLES = new Set(['the', 'a', 'an']);

/** Edits a word of this many letters may carry: none up to 4, one up to 10, two beyond. */
export function typoAllowance(letters: number): number {
  if (letters <= 4) return 0;
  if (letters <= 10) return 1;
  return 2;
}

/**
 * Optimal string alignment distance (Damerau-Levenshtein without repeated edits of
 * one substring) between two code point arrays. Stops early and returns max + 1
 * once the distance must exceed max.
 */
export function editDistance(a: readonly string[], b: readonly string[], max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] as number) + 1);
      }
      current.push(best);
      if (best < rowMin) rowMin = best;
    }
    // Row minima never decrease, so once every cell is past max the answer is too.
    if (rowMin > max) return max + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

interface Answer {
  readonly numbers: readonly string[];
  /** Each word as code points, so accents-stripped non-Latin letters count as one letter. */
  readonly words: readonly (readonly string[])[];
  readonly letters: number;
}

function readAnswer(text: string): Answer {
  const tokens = splitTokens(normalizeText(text));
  const first = tokens[0];
  if (tokens.length > 1 && first !== undefined && LEADING_ARTICLES.has(first)) tokens.shift();
  const { numbers, words } = separateNumbers(tokens);
  const letters = words.map((w) => Array.from(w));
  return { numbers, words: letters, letters: letters.reduce((sum, w) => sum + w.length, 0) };
}

function isEmpty(answer: Answer): boolean {
  return answer.numbers.length === 0 && answer.words.length === 0;
}

function sameWordWithTypos(a: readonly string[], b: readonly string[]): boolean {
  const allowance = typoAllowance(Math.min(a.length, b.length));
  return editDistance(a, b, allowance) <= allowance;
}

function spellsExactly(parts: readonly (readonly string[])[], whole: readonly string[]): boolean {
  let k = 0;
  for (const part of parts) {
    for (const ch of part) {
      if (whole[k] !== ch) return false;
      k += 1;
    }
  }
  return k === whole.length;
}

/** Long answers ("The Changing Face of Evil") may carry one more slip than their words allow on their own. */
const LONG_ANSWER_WORDS = 4;
const LONG_ANSWER_LETTERS = 12;
/** The slip goes to one word pair of at least this many letters (the shorter word of the pair). */
const SPARE_EDIT_MIN_LETTERS = 3;

/**
 * Can the given words be lined up with the accepted words? Dynamic programming
 * over (given prefix, accepted prefix, spare edit used) with one-to-one steps
 * (typos allowed, plus the spare edit of a long answer once) and many-to-one /
 * one-to-many steps (exact spelling only).
 */
function wordsAlign(given: readonly (readonly string[])[], accepted: readonly (readonly string[])[], spare: boolean): boolean {
  const g = given.length;
  const a = accepted.length;
  // reachable[i][j]: 0 unreachable, 1 reachable with the spare edit unused, 2 reachable having used it.
  const reachable: number[][] = Array.from({ length: g + 1 }, () => new Array<number>(a + 1).fill(0));
  const reach = (i: number, j: number, used: boolean) => {
    const row = reachable[i] as number[];
    const state = used ? 2 : 1;
    if (row[j] === 0 || row[j]! > state) row[j] = state;
  };
  reach(0, 0, false);
  for (let i = 0; i <= g; i++) {
    for (let j = 0; j <= a; j++) {
      const state = (reachable[i] as number[])[j]!;
      if (state === 0) continue;
      const used = state === 2;
      const givenWord = given[i];
      const acceptedWord = accepted[j];
      if (givenWord === undefined || acceptedWord === undefined) continue;
      if (sameWordWithTypos(givenWord, acceptedWord)) reach(i + 1, j + 1, used);
      else if (spare && !used && withSpareEdit(givenWord, acceptedWord)) reach(i + 1, j + 1, true);
      for (let k = 2; k <= MAX_MERGED_WORDS; k++) {
        if (i + k <= g && spellsExactly(given.slice(i, i + k), acceptedWord)) reach(i + k, j + 1, used);
        if (j + k <= a && spellsExactly(accepted.slice(j, j + k), givenWord)) reach(i + 1, j + k, used);
      }
    }
  }
  return (reachable[g] as number[])[a]! !== 0;
}

/** One edit more than the pair's own allowance, for a pair whose shorter word has enough letters to carry it. */
function withSpareEdit(a: readonly string[], b: readonly string[]): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < SPARE_EDIT_MIN_LETTERS) return false;
  const allowance = typoAllowance(shorter) + 1;
  return editDistance(a, b, allowance) <= allowance;
}

function answersMatch(given: Answer, accepted: Answer): boolean {
  if (given.numbers.length !== accepted.numbers.length) return false;
  if (given.numbers.some((n, i) => n !== accepted.numbers[i])) return false;
  // Fast path for shotgun answers: a one-to-one pair never differs by more than
  // the shorter word's length, and merges keep letters exact, so the alignment
  // below would reject these anyway.
  if (given.letters > 2 * accepted.letters + 4) return false;
  if (given.words.length === 0 || accepted.words.length === 0) return given.words.length === accepted.words.length;
  if (spellsExactly(given.words, accepted.words.flat())) return true;
  // Judged on both sides, so that swapping given and accepted never changes the verdict.
  const long = [given, accepted].every((side) => side.words.length >= LONG_ANSWER_WORDS && side.letters >= LONG_ANSWER_LETTERS);
  return wordsAlign(given.words, accepted.words, long);
}

/** Is `given` a fair match for any of the `accepted` answers? Pure; see the module comment. */
export function isCorrectAnswer(given: string, accepted: readonly string[]): boolean {
  if (given.length > MAX_ANSWER_LENGTH) return false;
  const answer = readAnswer(given);
  if (isEmpty(answer)) return false;
  return accepted.some((form) => {
    const target = readAnswer(form);
    return !isEmpty(target) && answersMatch(answer, target);
  });
}

// ---------------------------------------------------------------------------
// Title search for autocomplete and "did you mean" suggestions.

interface Title {
  readonly text: string;
  readonly index: number;
  readonly normalized: string;
  readonly words: readonly string[];
  /** tails[k]: the title's words from word k on, joined without spaces. */
  readonly tails: readonly string[];
}

function prepareTitles(titles: readonly string[]): Title[] {
  return titles.map((text, index) => {
    const words = titleSearchWords(text);
    return { text, index, normalized: normalizeText(text), words, tails: words.map((_, k) => words.slice(k).join('')) };
  });
}

function queryWords(query: string): string[] {
  const normalized = normalizeText(query);
  return normalized === '' ? [] : normalized.split(' ');
}

/**
 * 0 when some title word (joined with the words after it, so "jemhadar" finds
 * "jem hadar") starts with the query word; otherwise the fewest edits between
 * the query word and such a start, if within the word's typo allowance; else null.
 */
function queryWordCost(word: string, title: Title): number | null {
  if (title.tails.some((tail) => tail.startsWith(word))) return 0;
  const letters = Array.from(word);
  const allowance = typoAllowance(letters.length);
  if (allowance === 0) return null;
  let best: number | null = null;
  for (const tail of title.tails) {
    const tailLetters = Array.from(tail);
    for (let len = letters.length - allowance; len <= letters.length + allowance; len++) {
      if (len <= 0 || len > tailLetters.length) continue;
      const distance = editDistance(letters, tailLetters.slice(0, len), allowance);
      if (distance <= allowance && (best === null || distance < best)) best = distance;
    }
  }
  return best;
}

function withoutLeadingArticle(normalized: string): string {
  const space = normalized.indexOf(' ');
  return space > 0 && LEADING_ARTICLES.has(normalized.slice(0, space)) ? normalized.slice(space + 1) : normalized;
}

interface Ranked {
  readonly title: Title;
  /** 0: the title starts with the whole query; 1: every word is a prefix hit; 2: typos needed. */
  readonly tier: number;
  readonly typos: number;
}

/**
 * Titles whose words start with (or, failing that, typo-match) every query word,
 * best first: whole-title prefix, then word prefixes, then fewest typos, then the
 * titles' own order. An empty query lists the first `limit` titles in order.
 */
export function rankByQuery(query: string, titles: readonly string[], limit = 25): string[] {
  const words = queryWords(query);
  if (words.length === 0) return titles.slice(0, limit);
  const phrase = words.join(' ');
  const ranked: Ranked[] = [];
  for (const title of prepareTitles(titles)) {
    let typos = 0;
    let matched = true;
    for (const word of words) {
      const cost = queryWordCost(word, title);
      if (cost === null) {
        matched = false;
        break;
      }
      typos += cost;
    }
    if (!matched) continue;
    const wholePrefix =
      title.normalized.startsWith(phrase) || withoutLeadingArticle(title.normalized).startsWith(phrase);
    ranked.push({ title, tier: wholePrefix ? 0 : typos === 0 ? 1 : 2, typos });
  }
  ranked.sort((x, y) => x.tier - y.tier || x.typos - y.typos || x.title.index - y.title.index);
  return ranked.slice(0, limit).map((r) => r.title.text);
}

/** How far a query word is from its nearest title word, as a share of the query word. */
function wordRemoteness(word: string, title: Title): number {
  if (title.tails.some((tail) => tail.startsWith(word))) return 0;
  const letters = Array.from(word);
  let best = letters.length;
  for (let k = 0; k < title.words.length; k++) {
    const titleWord = Array.from(title.words[k] as string);
    const whole = editDistance(letters, titleWord);
    const prefix = editDistance(letters, titleWord.slice(0, letters.length)) + 0.5;
    best = Math.min(best, whole, prefix);
  }
  return best / Math.max(letters.length, 1);
}

/**
 * The n titles most similar to the query (fewer only when there are fewer titles),
 * for "no match; did you mean ..." replies. Ties keep the titles' own order.
 */
export function closestTitles(query: string, titles: readonly string[], n = 3): string[] {
  const words = queryWords(query);
  if (words.length === 0) return titles.slice(0, n);
  const compactQuery = Array.from(words.join(''));
  const scored = prepareTitles(titles).map((title) => {
    const remoteness = words.reduce((sum, w) => sum + wordRemoteness(w, title), 0) / words.length;
    const compactTitle = Array.from(title.words.join(''));
    const overall =
      editDistance(compactQuery, compactTitle) / Math.max(compactQuery.length, compactTitle.length, 1);
    return { title, remoteness, overall };
  });
  scored.sort(
    (x, y) => x.remoteness - y.remoteness || x.overall - y.overall || x.title.index - y.title.index,
  );
  return scored.slice(0, n).map((s) => s.title.text);
}
