import type { FieldProblem } from './api-error.js';

// Documented Discord rules that discord-api-spec's schemas leave out. Each runs on a body the schema accepted,
// so the shapes below are what the schema guarantees (only the fields the rules read).

const BOT_CONTENT_MAX = 2000; // the spec allows 4,000 (a Nitro member's limit); a bot gets 2,000
const CHOICE_VALUE_MAX = 100; // string choice values; the spec allows 6,000
const EMBEDS_TOTAL_MAX = 6000; // all embeds' titles, descriptions, field names and values, footers and authors together
const ACTION_ROWS_MAX = 5; // without the IS_COMPONENTS_V2 flag: up to 5 action rows and nothing else at the top
const MODAL_COMPONENTS_MAX = 5; // the spec allows 40
const IS_COMPONENTS_V2 = 1 << 15;
const LINK_BUTTON = 5;
const PREMIUM_BUTTON = 6;
/** Chat input command and option names: 1-32 letters, digits, `-`, `_` or `'`, lower case. */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Component {
  type: number;
  style?: number;
  custom_id?: string | null;
  url?: string | null;
  label?: string | null;
  emoji?: object | null;
  components?: Component[];
  accessory?: Component;
}
interface Embed {
  title?: string | null;
  description?: string | null;
  fields?: { name: string; value: string }[] | null;
  footer?: { text?: string | null } | null;
  author?: { name: string } | null;
}
interface MessageBody {
  content?: string | null;
  embeds?: Embed[] | null;
  components?: Component[] | null;
  allowed_mentions?: { parse?: (string | null)[] | null; users?: unknown[] | null; roles?: unknown[] | null } | null;
  flags?: number | null;
}
interface Choice {
  value: string | number;
}
interface CommandOption {
  type: number;
  name: string;
  required?: boolean | null;
  autocomplete?: boolean | null;
  choices?: Choice[] | null;
  options?: CommandOption[] | null;
}
interface Command {
  name?: string;
  type?: number | null;
  description?: string | null;
  options?: CommandOption[] | null;
}
interface Callback {
  type: number;
  data?: (MessageBody & { choices?: (Choice | null)[] | null; components?: unknown[] }) | null;
}

const path = (...parts: (string | number)[]): string => parts.filter((p) => p !== '').join('.');
const tooLong = (at: string, max: number): FieldProblem => ({ path: at, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
const required = (at: string): FieldProblem => ({ path: at, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
const invalidName = (at: string): FieldProblem => ({ path: at, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });

export function messageRules(body: MessageBody, at = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ((body.content?.length ?? 0) > BOT_CONTENT_MAX) problems.push(tooLong(path(at, 'content'), BOT_CONTENT_MAX));
  if (embedsLength(body.embeds ?? []) > EMBEDS_TOTAL_MAX) {
    problems.push({ path: path(at, 'embeds'), code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${EMBEDS_TOTAL_MAX}` });
  }
  problems.push(...componentRules(body.components ?? [], body.flags ?? 0, path(at, 'components')));
  const mentions = body.allowed_mentions;
  for (const kind of ['users', 'roles'] as const) {
    if (mentions?.parse?.includes(kind) && (mentions[kind]?.length ?? 0) > 0) {
      problems.push({ path: path(at, 'allowed_mentions'), code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.` });
    }
  }
  return problems;
}

function embedsLength(embeds: Embed[]): number {
  const texts = embeds.flatMap((e) => [e.title, e.description, e.footer?.text, e.author?.name, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]);
  return texts.reduce((sum, text) => sum + (text?.length ?? 0), 0);
}

function componentRules(components: Component[], flags: number, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ((flags & IS_COMPONENTS_V2) === 0) {
    if (components.length > ACTION_ROWS_MAX) problems.push(tooLong(at, ACTION_ROWS_MAX));
    components.forEach((c, i) => {
      if (c.type !== 1) problems.push({ path: path(at, i, 'type'), code: 'UNION_TYPE_CHOICES', message: 'Top-level components must be action rows.' });
    });
  }
  const customIds = new Set<string>();
  for (const [c, cAt] of everyComponent(components, at)) {
    if (typeof c.custom_id === 'string') {
      if (customIds.has(c.custom_id)) problems.push({ path: path(cAt, 'custom_id'), code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
      customIds.add(c.custom_id);
    }
    if (c.type === 2) problems.push(...buttonRules(c, cAt));
  }
  return problems;
}

/** A link button needs a url, every other (but premium) button a custom id; every button shows a label or an emoji. */
function buttonRules(button: Component, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (button.style === LINK_BUTTON && !button.url) problems.push(required(path(at, 'url')));
  if (button.style !== LINK_BUTTON && button.style !== PREMIUM_BUTTON && !button.custom_id) problems.push(required(path(at, 'custom_id')));
  if (button.style !== PREMIUM_BUTTON && !button.label && !button.emoji) {
    problems.push({ path: path(at, 'label'), code: 'BASE_TYPE_REQUIRED', message: 'A button needs a label or an emoji.' });
  }
  return problems;
}

function* everyComponent(components: Component[], at: string): Generator<[Component, string]> {
  for (const [i, c] of components.entries()) {
    yield [c, path(at, i)];
    if (c.components) yield* everyComponent(c.components, path(at, i, 'components'));
    if (c.accessory) yield [c.accessory, path(at, i, 'accessory')];
  }
}

/** Registration: names, a chat input command's description, option order and choices. */
export function commandRules(command: Command, at = '', partial = false): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const chatInput = (command.type ?? 1) === 1;
  if (chatInput && command.name !== undefined && !isName(command.name)) problems.push(invalidName(path(at, 'name')));
  if (chatInput && (partial ? command.description === '' : !command.description)) {
    problems.push({ path: path(at, 'description'), code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
  problems.push(...optionRules(command.options ?? [], path(at, 'options')));
  return problems;
}

/** An edit: only the fields it sends. */
export function commandEditRules(command: Command): FieldProblem[] {
  return commandRules(command, '', true);
}

/** A bulk overwrite: each command, and no two with the same name and type. */
export function commandListRules(commands: Command[]): FieldProblem[] {
  const seen = new Set<string>();
  return commands.flatMap((command, i) => {
    const key = `${command.type ?? 1}:${command.name}`;
    const duplicate = seen.has(key) ? [{ path: path(i, 'name'), code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' }] : [];
    seen.add(key);
    return [...commandRules(command, String(i)), ...duplicate];
  });
}

function optionRules(options: CommandOption[], at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option, i) => {
    const oAt = path(at, i);
    if (!isName(option.name)) problems.push(invalidName(path(oAt, 'name')));
    else if (names.has(option.name)) problems.push({ path: path(oAt, 'name'), code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
    names.add(option.name);
    if (option.type === 1 || option.type === 2) {
      problems.push(...optionRules(option.options ?? [], path(oAt, 'options')));
      return;
    }
    if (option.required === true && sawOptional) {
      problems.push({ path: path(oAt, 'required'), code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (option.required !== true) sawOptional = true;
    if (option.autocomplete === true && (option.choices?.length ?? 0) > 0) {
      problems.push({ path: path(oAt, 'autocomplete'), code: 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID', message: 'Autocomplete cannot be used with choices' });
    }
    problems.push(...choiceRules(option.choices ?? [], path(oAt, 'choices')));
  });
  return problems;
}

function isName(name: string): boolean {
  return NAME.test(name) && name === name.toLowerCase();
}

function choiceRules(choices: (Choice | null)[], at: string): FieldProblem[] {
  return choices.flatMap((choice, i) => (typeof choice?.value === 'string' && choice.value.length > CHOICE_VALUE_MAX ? [tooLong(path(at, i, 'value'), CHOICE_VALUE_MAX)] : []));
}

/** An interaction response: a message (4, 7), autocomplete choices (8) or a modal (9). */
export function callbackRules(body: Callback): FieldProblem[] {
  const data = body.data;
  if (!data) return [];
  if (body.type === 4 || body.type === 7) return messageRules(data, 'data');
  if (body.type === 8) return choiceRules(data.choices ?? [], 'data.choices');
  if (body.type === 9 && (data.components?.length ?? 0) > MODAL_COMPONENTS_MAX) return [tooLong('data.components', MODAL_COMPONENTS_MAX)];
  return [];
}

/** A thread's new name: the spec allows an empty one. */
export function threadPatchRules(body: { name?: string | null }): FieldProblem[] {
  return body.name === '' ? [{ path: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] : [];
}
