import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { describeValue } from './problems.js';

/**
 * Reads the text of a data file (YAML 1.2 core schema; JSON is accepted too, since it is valid YAML)
 * and finds the list of entries in it: either the whole file is a list, or it is a mapping with one
 * key (e.g. `questions:`) holding the list.
 */

/** Aliases a file may expand: plenty for hand-written data, far below what an alias "bomb" needs. */
const MAX_ALIAS_COUNT = 100;

export type ListSource =
  | { ok: true; items: unknown[]; lineOf: (index: number) => number | undefined }
  | { ok: false; problems: string[] };

export function readEntryList(text: string, fileName: string, listKey: string): ListSource {
  const lineCounter = new LineCounter();
  // Core schema (the default for YAML 1.2): yes/no/on/off stay text, dates stay text.
  const doc = parseDocument(text, { lineCounter, schema: 'core', prettyErrors: true, logLevel: 'error' });
  const [firstError, ...laterErrors] = doc.errors;
  if (firstError) {
    // Later syntax errors are usually knock-on effects of the first one, so only the first is spelled out.
    const where = firstError.linePos?.[0];
    const summary = (firstError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    if (/Maximum call stack size exceeded/.test(summary)) {
      return { ok: false, problems: [`${fileName}: lists or mappings are nested too deeply; the file should be a flat list of entries`] };
    }
    const place = where ? `line ${where.line}, column ${where.col}: ` : '';
    const more = laterErrors.length > 0
      ? ` (${laterErrors.length} more YAML error${laterErrors.length === 1 ? '' : 's'} after this point may be caused by this one; fix it first)`
      : '';
    return { ok: false, problems: [`${fileName}: ${place}YAML syntax error: ${summary}${more}`] };
  }

  const root = doc.contents;
  const lineOfNode = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const expectation = `a list of ${listKey} (or "${listKey}:" followed by a list)`;

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // The yaml package refuses an alias "bomb" (anchors referring to anchors, doubling with each level).
    return { ok: false, problems: [`${fileName}: uses too many YAML aliases (*references to &anchors); write the entries out in full`] };
  }
  if (root === null || value == null) {
    return { ok: false, problems: [`${fileName}: the file is empty; it should contain ${expectation}`] };
  }
  if (isSeq(root)) {
    return { ok: true, items: value as unknown[], lineOf: (i) => lineOfNode(root.items[i]) };
  }
  if (isMap(root)) {
    const mapping = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(mapping)) {
      if (key !== listKey) problems.push(`${fileName}: unknown top-level field "${key}"; only "${listKey}" is expected`);
    }
    const list = mapping[listKey];
    const seq = doc.get(listKey, true);
    if (list === undefined) problems.push(`${fileName}: field "${listKey}" is missing; the file should contain ${expectation}`);
    else if (!Array.isArray(list) || !isSeq(seq)) {
      problems.push(`${fileName}: field "${listKey}" must be a list, but is ${describeValue(list)}`);
    }
    if (problems.length > 0 || !isSeq(seq)) return { ok: false, problems };
    return { ok: true, items: list as unknown[], lineOf: (i) => lineOfNode(seq.items[i]) };
  }
  return { ok: false, problems: [`${fileName}: should contain ${expectation}, but contains ${describeValue(value)}`] };
}
