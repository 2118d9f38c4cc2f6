import { describe, expect, it } from 'vitest';
import { numbersIn, separateNumbers } from '../../src/text/numbers.js';
import { normalizeText, splitTokens, titleSearchWords } from '../../src/text/normalize.js';

describe('normalizeText', () => {
  it.each([
    ["Jem'Hadar", 'jemhadar'],
    ['Jem’Hadar', 'jemhadar'],
    ['Jem-Hadar', 'jem hadar'],
    ['  JEM   hadar  ', 'jem hadar'],
    ["Qo'noS", 'qonos'],
    ["O'Brien", 'obrien'],
    ['Café', 'cafe'],
    ['Cafe\u0301', 'cafe'],
    ['Straße', 'strasse'],
    ['Ærøskøbing', 'aeroskobing'],
    ['ＤＵＫＡＴ', 'dukat'],
    ['ﬁre caves', 'fire caves'],
    ['“Emissary”', 'emissary'],
    ['Bashir & Ezri', 'bashir and ezri'],
    ['800,000,000', '800000000'],
    ['1,5', '1 5'],
    ['0.8 billion', '0.8 billion'],
    ['.8 billion', '0.8 billion'],
    ['v.8', 'v 8'],
    ['end.', 'end'],
    ['?!...', ''],
    ['🖖', ''],
    ['', ''],
  ])('GIVEN %j THEN it normalises to %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('splitTokens', () => {
  it.each([
    ['ds9', ['ds', '9']],
    ['800m', ['800', 'm']],
    ['section31 rules', ['section', '31', 'rules']],
    ['7th season', ['7', 'th', 'season']],
    ['1.5.3', ['1.5', '3']],
    ['2.5 million', ['2.5', 'million']],
  ])('GIVEN normalised %j THEN the tokens are %j', (input, expected) => {
    expect(splitTokens(input)).toEqual(expected);
  });
});

describe('titleSearchWords', () => {
  it.each([
    ["The Jem'Hadar", ['the', 'jem', 'hadar']],
    ['Trials and Tribble-ations', ['trials', 'and', 'tribble', 'ations']],
    ["Quark's Bar", ['quark', 's', 'bar']],
    ['!!', []],
  ])('GIVEN title %j THEN the search words are %j', (input, expected) => {
    expect(titleSearchWords(input)).toEqual(expected);
  });
});

describe('numbersIn', () => {
  it.each([
    // 800 million, every way
    ['800 million', ['800000000']],
    ['800,000,000', ['800000000']],
    ['800000000', ['800000000']],
    ['800 000 000', ['800000000']],
    ['eight hundred million', ['800000000']],
    ['800m', ['800000000']],
    ['800M', ['800000000']],
    ['800 mil', ['800000000']],
    ['800 mn', ['800000000']],
    ['0.8 billion', ['800000000']],
    ['.8 billion', ['800000000']],
    ['0.8bn', ['800000000']],
    ['800 millions', ['800000000']],
    // 176
    ['176', ['176']],
    ['one hundred seventy-six', ['176']],
    ['one hundred and seventy six', ['176']],
    ['a hundred and seventy-six', ['176']],
    // years
    ['1999', ['1999']],
    ['1,999', ['1999']],
    ['nineteen ninety-nine', ['1999']],
    ['nineteen hundred and ninety-nine', ['1999']],
    ['19 hundred 99', ['1900', '99']],
    ['19 hundred', ['1900']],
    ['twenty twenty-four', ['2024']],
    ['twenty nineteen', ['2019']],
    ['nineteen oh five', ['1905']],
    ['two thousand and one', ['2001']],
    // scales and decimals
    ['a million', ['1000000']],
    ['million', ['1000000']],
    ['a thousand', ['1000']],
    ['5k', ['5000']],
    ['2bn', ['2000000000']],
    ['2.5 million', ['2500000']],
    ['2.50', ['2.5']],
    ['0.25', ['0.25']],
    ['one hundred thousand', ['100000']],
    ['two million three hundred thousand and five', ['2300005']],
    ['1 trillion', ['1000000000000']],
    // ordinals read as their value
    ['7th', ['7']],
    ['seventh', ['7']],
    ['twenty-first', ['21']],
    ['1st', ['1']],
    ['one hundredth', ['100']],
    ['one millionth', ['1000000']],
    // separate numbers stay separate
    ['five six', ['5', '6']],
    ['seventeen six', ['17', '6']],
    ['1998 1999', ['1998', '1999']],
    ['1,5', ['1', '5']],
    ['1.5.3', ['1.5', '3']],
    ['one million thousand', ['1000000', '1000']],
    ['0176', ['176']],
    ['zero', ['0']],
    // numbers among words
    ['DS9', ['9']],
    ['Deep Space Nine', ['9']],
    ['Section 31', ['31']],
    ['Section Thirty-One', ['31']],
    ['176 episodes', ['176']],
    // no numbers
    ['Sisko and Kira', []],
    ['the Defiant', []],
    ['m', []],
    ['oh no', []],
    ['', []],
  ])('GIVEN %j THEN the numbers are %j', (input, expected) => {
    expect(numbersIn(input)).toEqual(expected);
  });
});

describe('separateNumbers', () => {
  it('GIVEN words around numbers THEN words keep their order and number phrases leave none behind', () => {
    const result = separateNumbers(['season', 'seven', 'had', 'twenty', 'six', 'episodes']);
    expect(result).toEqual({ numbers: ['7', '26'], words: ['season', 'had', 'episodes'] });
  });

  it('GIVEN an "and" that joins names, not number parts THEN it stays a word', () => {
    expect(separateNumbers(['one', 'hundred', 'and', 'kira'])).toEqual({ numbers: ['100'], words: ['and', 'kira'] });
  });

  it('GIVEN an abbreviation with no digits before it THEN it is an ordinary word', () => {
    expect(separateNumbers(['m', 'bn', 'k'])).toEqual({ numbers: [], words: ['m', 'bn', 'k'] });
  });

  it('GIVEN "oh" without a year before it THEN it is an ordinary word', () => {
    expect(separateNumbers(['oh', 'five'])).toEqual({ numbers: ['5'], words: ['oh'] });
  });
});
