/**
 * Reads numbers out of normalised answer tokens so that every way of writing a
 * value compares equal: "800 million", "800000000", "eight hundred million",
 * "800m", "800 mil", "0.8 billion"; "176", "one hundred and seventy six";
 * "1999", "nineteen ninety nine", "nineteen hundred ninety nine"; "7th", "seventh".
 *
 * Values are exact decimals (bigint mantissa and a power of ten), so
 * 0.8 billion is exactly 800000000 and no float rounding can make two different
 * numbers equal. Ordinals read as their cardinal value ("7th" = "seventh" = 7).
 */
import { normalizeText, splitTokens } from './normalize.js';

/** An exact decimal: mantissa x 10^exponent. */
interface Decimal {
  readonly mantissa: bigint;
  readonly exponent: number;
}

const ZERO: Decimal = { mantissa: 0n, exponent: 0 };

function decimal(n: number): Decimal {
  return { mantissa: BigInt(n), exponent: 0 };
}

function parseDigits(token: string): Decimal {
  const dot = token.indexOf('.');
  if (dot < 0) return { mantissa: BigInt(token), exponent: 0 };
  const fraction = token.slice(dot + 1);
  return { mantissa: BigInt(token.slice(0, dot) + fraction), exponent: -fraction.length };
}

function shift(d: Decimal, powerOfTen: number): Decimal {
  return { mantissa: d.mantissa, exponent: d.exponent + powerOfTen };
}

function add(a: Decimal, b: Decimal): Decimal {
  const exponent = Math.min(a.exponent, b.exponent);
  const scale = (d: Decimal): bigint => d.mantissa * 10n ** BigInt(d.exponent - exponent);
  return { mantissa: scale(a) + scale(b), exponent };
}

function isZero(d: Decimal): boolean {
  return d.mantissa === 0n;
}

/** Whole number strictly between low and high (exclusive), or false. */
function isIntegerBetween(d: Decimal, low: number, high: number): boolean {
  const text = canonical(d);
  if (text.includes('.')) return false;
  const n = Number(text);
  return n > low && n < high;
}

/** Plain decimal text without trailing zeros: "800000000", "2.5", "0". */
function canonical(d: Decimal): string {
  if (d.mantissa === 0n) return '0';
  let { mantissa, exponent } = d;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  if (exponent >= 0) return (mantissa * 10n ** BigInt(exponent)).toString();
  const digits = mantissa.toString().padStart(-exponent + 1, '0');
  const cut = digits.length + exponent;
  return `${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
const TEENS: Readonly<Record<string, number>> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
/** Powers of ten named by scale words; plurals only count right after a number. */
const SCALES: Readonly<Record<string, number>> = { thousand: 3, million: 6, billion: 9, trillion: 12 };
const PLURAL_SCALES: Readonly<Record<string, number>> = {
  thousands: 3, millions: 6, billions: 9, trillions: 12,
};
/** Abbreviations that only count straight after digits: "800m", "800 mil", "2bn", "5k". */
const ABBREVIATED_SCALES: Readonly<Record<string, number>> = {
  k: 3, m: 6, mil: 6, mill: 6, mn: 6, b: 9, bn: 9, bil: 9, bill: 9, tn: 12,
};
const UNIT_ORDINALS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
};
const TEEN_ORDINALS: Readonly<Record<string, number>> = {
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15,
  sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19,
};
const TENS_ORDINALS: Readonly<Record<string, number>> = {
  twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70,
  eightieth: 80, ninetieth: 90,
};
const SCALE_ORDINALS: Readonly<Record<string, number>> = {
  hundredth: 2, thousandth: 3, millionth: 6, billionth: 9,
};
const DIGIT_ORDINAL_SUFFIXES = new Set(['st', 'nd', 'rd', 'th']);
const YEAR_ZERO = new Set(['oh', 'o']);
const DIGITS = /^[0-9]+(?:\.[0-9]+)?$/;

/**
 * A scale word with one letter wrong, missing, extra or swapped ("millon", "milion", "bilion"), right after a
 * number: the number's digits stay exact, only the word that names its size is forgiven. Null when the token is
 * within one edit of no scale word, or of two (then it is not clear which was meant).
 */
function misspeltScale(token: string): number | undefined {
  const near = Object.keys(SCALES).filter((word) => withinOneEdit(token, word));
  return near.length === 1 ? SCALES[near[0]!] : undefined;
}

/** One substitution, insertion, deletion or adjacent swap at most (and at least 6 letters, so short words stay strict). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b || a.length < 6 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, from: number) => x.slice(from);
  if (a.length === b.length) {
    return rest(a, i + 1) === rest(b, i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, i + 2) === rest(b, i + 2));
  }
  return a.length > b.length ? rest(a, i + 1) === rest(b, i) : rest(a, i) === rest(b, i + 1);
}

function lookup(table: Readonly<Record<string, number>>, token: string | undefined): number | undefined {
  return token !== undefined && Object.hasOwn(table, token) ? table[token] : undefined;
}

type Step = 'start' | 'digits' | 'unit' | 'teen' | 'tens' | 'compound' | 'hundred' | 'scale';

interface NumberPhrase {
  readonly value: Decimal;
  /** Index just past the last token of the phrase. */
  readonly end: number;
}

/**
 * Reads "nineteen ninety nine" style years: a 10..99 lead followed by a 10..99
 * tail ("twenty twenty", "nineteen ninety nine") or by "oh" and a digit word
 * ("nineteen oh five"). Returns null when the tokens do not continue that way.
 */
function readYearTail(tokens: readonly string[], i: number): { value: number; end: number } | null {
  const first = tokens[i];
  const teen = lookup(TEENS, first);
  if (teen !== undefined) return { value: teen, end: i + 1 };
  const tens = lookup(TENS, first);
  if (tens !== undefined) {
    const unit = lookup(UNITS, tokens[i + 1]);
    return unit !== undefined && unit > 0 ? { value: tens + unit, end: i + 2 } : { value: tens, end: i + 1 };
  }
  if (first !== undefined && YEAR_ZERO.has(first)) {
    const unit = lookup(UNITS, tokens[i + 1]);
    if (unit !== undefined && unit > 0) return { value: unit, end: i + 2 };
  }
  return null;
}

/** Tokens that may follow "and" inside a number ("one hundred and seventy six"). */
function continuesAfterAnd(token: string | undefined): boolean {
  return [UNITS, TEENS, TENS, UNIT_ORDINALS, TEEN_ORDINALS, TENS_ORDINALS].some(
    (table) => lookup(table, token) !== undefined,
  );
}

/**
 * Reads the longest number phrase starting at tokens[start], or returns null
 * when no number starts there. A phrase never swallows a token it cannot use,
 * so "five six" reads as two numbers and a trailing "and" stays a word.
 */
function readNumberPhrase(tokens: readonly string[], start: number): NumberPhrase | null {
  let total: Decimal = ZERO;
  let group: Decimal = ZERO;
  let step: Step = 'start';
  let smallestScale = Infinity;
  let i = start;

  const finish = (end: number): NumberPhrase => ({ value: add(total, group), end });
  /** Moves the current group into the total at the given power; the caller then sets step = 'scale'. */
  const applyScale = (power: number): void => {
    total = add(total, shift(step === 'start' ? decimal(1) : group, power));
    group = ZERO;
    smallestScale = power;
  };
  const canMultiplyByHundred = (): boolean =>
    step === 'start' || (step !== 'hundred' && step !== 'scale' && isIntegerBetween(group, 0, 100));
  const afterWordsOrStart = (): boolean => step === 'start' || step === 'hundred' || step === 'scale';

  while (i < tokens.length) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];

    // "a hundred", "a million": the article stands for one.
    if (step === 'start' && (token === 'a' || token === 'an') && (next === 'hundred' || lookup(SCALES, next) !== undefined)) {
      i += 1;
      continue;
    }
    if (step === 'start' && DIGITS.test(token)) {
      group = parseDigits(token);
      i += 1;
      // "800 000 000": a 1-3 digit whole number followed by three-digit groups.
      if (/^[0-9]{1,3}$/.test(token)) {
        while (i < tokens.length && /^[0-9]{3}$/.test(tokens[i] as string)) {
          group = add(shift(group, 3), parseDigits(tokens[i] as string));
          i += 1;
        }
      }
      step = 'digits';
      continue;
    }
    if (step === 'digits') {
      if (DIGIT_ORDINAL_SUFFIXES.has(token)) return finish(i + 1);
      const abbreviated = lookup(ABBREVIATED_SCALES, token);
      if (abbreviated !== undefined) {
        applyScale(abbreviated);
        step = 'scale';
        return finish(i + 1);
      }
    }

    const unit = lookup(UNITS, token);
    if (unit !== undefined && (afterWordsOrStart() || step === 'tens')) {
      if (step === 'tens' && unit === 0) break;
      group = add(group, decimal(unit));
      step = step === 'tens' ? 'compound' : 'unit';
      i += 1;
      continue;
    }
    const teen = lookup(TEENS, token);
    if (teen !== undefined && afterWordsOrStart()) {
      group = add(group, decimal(teen));
      step = 'teen';
      i += 1;
      continue;
    }
    const tens = lookup(TENS, token);
    if (tens !== undefined && afterWordsOrStart()) {
      group = add(group, decimal(tens));
      step = 'tens';
      i += 1;
      continue;
    }
    if ((step === 'teen' || step === 'tens' || step === 'compound') && isZero(total)) {
      const tail = readYearTail(tokens, i);
      if (tail !== null) return { value: add(shift(group, 2), decimal(tail.value)), end: tail.end };
    }
    if (token === 'hundred' && canMultiplyByHundred()) {
      group = shift(step === 'start' ? decimal(1) : group, 2);
      step = 'hundred';
      i += 1;
      continue;
    }
    const scale = lookup(SCALES, token) ?? (step !== 'start' ? (lookup(PLURAL_SCALES, token) ?? misspeltScale(token)) : undefined);
    if (scale !== undefined && scale < smallestScale && step !== 'scale') {
      applyScale(scale);
      step = 'scale';
      i += 1;
      continue;
    }
    if (token === 'and' && (step === 'hundred' || step === 'scale') && continuesAfterAnd(next)) {
      i += 1;
      continue;
    }
    const ordinal = readOrdinal(token, step);
    if (ordinal !== null) {
      if (ordinal.kind === 'scale') {
        if (ordinal.power === 2) {
          if (!canMultiplyByHundred()) break;
          group = shift(step === 'start' ? decimal(1) : group, 2);
        } else {
          if (ordinal.power >= smallestScale) break;
          applyScale(ordinal.power);
          step = 'scale';
        }
      } else {
        group = add(group, decimal(ordinal.value));
      }
      return finish(i + 1);
    }
    break;
  }
  return step === 'start' ? null : finish(i);
}

type Ordinal = { kind: 'small'; value: number } | { kind: 'scale'; power: number };

function readOrdinal(token: string, step: Step): Ordinal | null {
  const afterWordsOrStart = step === 'start' || step === 'hundred' || step === 'scale';
  const unit = lookup(UNIT_ORDINALS, token);
  if (unit !== undefined && (afterWordsOrStart || step === 'tens')) return { kind: 'small', value: unit };
  const small = lookup(TEEN_ORDINALS, token) ?? lookup(TENS_ORDINALS, token);
  if (small !== undefined && afterWordsOrStart) return { kind: 'small', value: small };
  const power = lookup(SCALE_ORDINALS, token);
  if (power !== undefined && step !== 'scale' && step !== 'hundred') return { kind: 'scale', power };
  return null;
}

/** The numbers of an answer (as canonical decimal text) and its remaining words, both in order. */
export interface NumbersAndWords {
  readonly numbers: readonly string[];
  readonly words: readonly string[];
}

/** Separate number phrases from ordinary words in already-split tokens. */
export function separateNumbers(tokens: readonly string[]): NumbersAndWords {
  const numbers: string[] = [];
  const words: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const phrase = readNumberPhrase(tokens, i);
    if (phrase === null) {
      words.push(tokens[i] as string);
      i += 1;
    } else {
      numbers.push(canonical(phrase.value));
      i = phrase.end;
    }
  }
  return { numbers, words };
}

/** Convenience for callers holding raw text: the values of every number it mentions. */
export function numbersIn(text: string): string[] {
  return [...separateNumbers(splitTokens(normalizeText(text))).numbers];
}
