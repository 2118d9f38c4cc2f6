/**
 * Text normalisation shared by trivia answer matching and title search.
 *
 * normalizeText produces a lower-case, accent-free string of words separated by
 * single spaces. Apostrophes (straight or curly) are deleted so "O'Brien" becomes
 * "obrien"; hyphens and every other punctuation mark become a space, so
 * "Jem-Hadar" becomes "jem hadar" (matching treats spacing as insignificant).
 * Digit grouping commas ("800,000,000") and dots ("800.000.000", two groups or
 * more) are dropped and decimal points between digits are kept ("0.8"), so
 * numbers survive normalisation intact.
 *
 * Leading articles are NOT removed here: that is an answer-matching rule, not a
 * text rule (titles such as "The Visitor" keep their article for search).
 */

const APOSTROPHES = new Set(["'", '\u2018', '\u2019', '\u201B', '\u2032', '\u02BC', '`', '\u00B4']);

/** Letters that carry no combining mark under NFD but still have a plain Latin reading. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ς: 'σ',
};

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const COMBINING_MARKS = /\p{M}+/gu;
const DIGIT = /[0-9]/;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && DIGIT.test(ch);
}

/** A comma between digits that is followed by exactly three digits is a thousands separator. */
function isThousandsComma(chars: readonly string[], i: number): boolean {
  if (!isDigit(chars[i - 1])) return false;
  for (let k = 1; k <= 3; k++) if (!isDigit(chars[i + k])) return false;
  return !isDigit(chars[i + 4]);
}

function foldCaseAndAccents(s: string): string {
  const lowered = s.normalize('NFKC').toLowerCase();
  let folded = '';
  for (const ch of lowered) folded += LETTER_FOLDS[ch] ?? ch;
  return folded.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
}

/** "800.000.000", "1.500.000": dots grouping thousands (two groups or more, so "2.500" stays a decimal). */
const DOT_GROUPED = /(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9]|\.[0-9])/g;

/** Normalise free text for comparison: see the module comment for the exact rules. */
export function normalizeText(s: string): string {
  const chars = Array.from(foldCaseAndAccents(s).replace(DOT_GROUPED, (run) => run.replaceAll('.', '')));
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (APOSTROPHES.has(ch)) continue;
    if (ch === ',' && isThousandsComma(chars, i)) continue;
    if (ch === '.' && isDigit(chars[i + 1])) {
      const prev = chars[i - 1];
      if (isDigit(prev)) out += '.';
      else if (prev === undefined || !LETTER_OR_DIGIT.test(prev)) out += ' 0.';
      else out += ' ';
      continue;
    }
    if (ch === '&') {
      out += ' and ';
      continue;
    }
    out += LETTER_OR_DIGIT.test(ch) ? ch : ' ';
  }
  return out.split(' ').filter((w) => w !== '').join(' ');
}

/**
 * Words of a title for search: like normalizeText, but an apostrophe splits
 * words instead of joining them, so "Jem'Hadar" yields "jem" and "hadar" and a
 * search for "hadar" finds it (searches for "jemhadar" still join the words).
 */
export function titleSearchWords(title: string): string[] {
  let spaced = '';
  for (const ch of title) spaced += APOSTROPHES.has(ch) ? ' ' : ch;
  const normalized = normalizeText(spaced);
  return normalized === '' ? [] : normalized.split(' ');
}

const DIGIT_OR_WORD_RUN = /[0-9]+(?:\.[0-9]+)?|[^0-9.]+/g;

/**
 * Split normalised text into tokens, also cutting at every boundary between
 * digits and letters ("ds9" -> "ds", "9"; "800m" -> "800", "m") so a number
 * never hides inside a word where a typo allowance could change it.
 */
export function splitTokens(normalized: string): string[] {
  const tokens: string[] = [];
  for (const word of normalized.split(' ')) {
    for (const match of word.matchAll(DIGIT_OR_WORD_RUN)) tokens.push(match[0]);
  }
  return tokens;
}
