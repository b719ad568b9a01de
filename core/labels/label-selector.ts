import { InvalidLabelSelectorError } from './label-errors.ts';
import {
  LABEL_KEY_PATTERN,
  LABEL_KEY_RULE,
  LABEL_VALUE_PATTERN,
  LABEL_VALUE_RULE,
  type Labels,
  labelValue,
} from './labels.ts';

/** One condition of a selector on one label key. */
export type LabelRequirement =
  | { readonly key: string; readonly operator: 'equals' | 'notEquals'; readonly value: string }
  | { readonly key: string; readonly operator: 'exists' | 'notExists' }
  | {
      readonly key: string;
      readonly operator: 'in' | 'notIn';
      readonly values: readonly string[];
    };

/** A parsed selector: every requirement must hold (comma means AND); none selects everything. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
}

/** Longest selector accepted, in characters. */
export const MAX_LABEL_SELECTOR_LENGTH = 1024;

// Characters of keys and values; a key's first and last are checked on the whole token.
const WORD_CHAR = /[a-z0-9._/-]/;
const SPACE = /[ \t]/;

/**
 * Reads a selector left to right, one requirement at a time, and stops at the first character
 * that does not fit. Positions are 1-based, so that an error says exactly where a client's
 * selector went wrong.
 */
class SelectorParser {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): LabelSelector {
    this.#skipSpaces();
    if (this.#atEnd()) return { requirements: [] };
    const requirements = [this.#requirement()];
    for (;;) {
      this.#skipSpaces();
      if (this.#atEnd()) return { requirements };
      if (this.#peek() !== ',') {
        this.#fail('expected "," or the end of the selector');
      }
      this.#at += 1;
      this.#skipSpaces();
      requirements.push(this.#requirement());
    }
  }

  #requirement(): LabelRequirement {
    if (this.#peek() === '!' && this.#peek(1) !== '=') {
      this.#at += 1;
      this.#skipSpaces();
      return { key: this.#key(), operator: 'notExists' };
    }
    const key = this.#key();
    const spaced = this.#skipSpaces();
    const next = this.#peek();
    if (next === '=') {
      this.#at += this.#peek(1) === '=' ? 2 : 1;
      return { key, operator: 'equals', value: this.#valueAfterOperator() };
    }
    if (next === '!' && this.#peek(1) === '=') {
      this.#at += 2;
      return { key, operator: 'notEquals', value: this.#valueAfterOperator() };
    }
    if (spaced && this.#keyword('notin')) return { key, operator: 'notIn', values: this.#set() };
    if (spaced && this.#keyword('in')) return { key, operator: 'in', values: this.#set() };
    if (next === undefined || next === ',') return { key, operator: 'exists' };
    return this.#fail(
      spaced
        ? 'expected "==", "=", "!=", "in", "notin", "," or the end of the selector'
        : 'expected "==", "=", "!=", a space before "in" or "notin", "," or the end of the selector',
    );
  }

  /** `in` or `notin` as a whole word (a space or "(" after it), consumed if present. */
  #keyword(word: string): boolean {
    if (!this.#text.startsWith(word, this.#at)) return false;
    const after = this.#text[this.#at + word.length];
    if (after !== '(' && (after === undefined || !SPACE.test(after))) return false;
    this.#at += word.length;
    return true;
  }

  #set(): string[] {
    this.#skipSpaces();
    if (this.#peek() !== '(') this.#fail('expected "(" to open the set of values');
    this.#at += 1;
    const values: string[] = [];
    for (;;) {
      this.#skipSpaces();
      const start = this.#at;
      const value = this.#word();
      if (value === '') this.#fail('expected a value (1–63 characters) in the set');
      this.#checkValue(value, start);
      values.push(value);
      this.#skipSpaces();
      const next = this.#peek();
      if (next === ')') {
        this.#at += 1;
        return values;
      }
      if (next !== ',') this.#fail('expected "," or ")" in the set of values');
      this.#at += 1;
    }
  }

  #key(): string {
    const start = this.#at;
    const key = this.#word();
    if (key === '') this.#fail('expected a label key');
    if (!LABEL_KEY_PATTERN.test(key)) this.#fail(`the label key "${key}" ${LABEL_KEY_RULE}`, start);
    return key;
  }

  #valueAfterOperator(): string {
    this.#skipSpaces();
    const start = this.#at;
    const value = this.#word();
    this.#checkValue(value, start);
    return value;
  }

  #checkValue(value: string, start: number): void {
    if (!LABEL_VALUE_PATTERN.test(value)) {
      this.#fail(`the value "${value}" ${LABEL_VALUE_RULE}`, start);
    }
  }

  #word(): string {
    const start = this.#at;
    while (!this.#atEnd() && WORD_CHAR.test(this.#text[this.#at] ?? '')) this.#at += 1;
    return this.#text.slice(start, this.#at);
  }

  /** Skips spaces and tabs; true when there were any. */
  #skipSpaces(): boolean {
    const start = this.#at;
    while (!this.#atEnd() && SPACE.test(this.#text[this.#at] ?? '')) this.#at += 1;
    return this.#at > start;
  }

  #peek(ahead = 0): string | undefined {
    return this.#text[this.#at + ahead];
  }

  #atEnd(): boolean {
    return this.#at >= this.#text.length;
  }

  #fail(expected: string, at = this.#at): never {
    const found = this.#text[at];
    const what = found === undefined ? 'the end' : JSON.stringify(found);
    throw new InvalidLabelSelectorError(at + 1, `at position ${at + 1} (${what}): ${expected}`);
  }
}

/**
 * Parses a label selector in Hetzner's grammar: `k==v` (or `k=v`), `k!=v`, `k`, `!k`,
 * `k in (a,b)`, `k notin (a,b)`, joined by commas (AND; commas inside parentheses separate the
 * set's values). Spaces around operators and commas are allowed; `in` and `notin` need one before
 * them. An empty selector selects everything. InvalidLabelSelectorError names the 1-based position
 * of the first character that cannot be read.
 */
export function parseLabelSelector(text: string): LabelSelector {
  if (text.length > MAX_LABEL_SELECTOR_LENGTH) {
    throw new InvalidLabelSelectorError(
      MAX_LABEL_SELECTOR_LENGTH + 1,
      `at position ${MAX_LABEL_SELECTOR_LENGTH + 1}: a selector is at most ${MAX_LABEL_SELECTOR_LENGTH} characters (got ${text.length})`,
    );
  }
  return new SelectorParser(text).parse();
}

function formatRequirement(requirement: LabelRequirement): string {
  switch (requirement.operator) {
    case 'equals':
      return `${requirement.key}==${requirement.value}`;
    case 'notEquals':
      return `${requirement.key}!=${requirement.value}`;
    case 'exists':
      return requirement.key;
    case 'notExists':
      return `!${requirement.key}`;
    case 'in':
      return `${requirement.key} in (${requirement.values.join(',')})`;
    case 'notIn':
      return `${requirement.key} notin (${requirement.values.join(',')})`;
  }
}

/**
 * The canonical text of a selector (`==`, single spaces only before `in`/`notin` and `(`):
 * parsing it gives the same selector, and two spellings of one selector format alike.
 */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector.requirements.map(formatRequirement).join(',');
}

function meets(requirement: LabelRequirement, labels: Labels): boolean {
  const value = labelValue(labels, requirement.key);
  switch (requirement.operator) {
    case 'equals':
      return value === requirement.value;
    case 'notEquals':
      return value !== requirement.value;
    case 'exists':
      return value !== undefined;
    case 'notExists':
      return value === undefined;
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case 'notIn':
      return value === undefined || !requirement.values.includes(value);
  }
}

/**
 * True when `labels` meet every requirement. As in Kubernetes, whose grammar Hetzner's follows,
 * a resource without the key meets `k!=v` and `k notin (…)`, and fails `k==v` and `k in (…)`.
 */
export function matchesLabelSelector(selector: LabelSelector, labels: Labels): boolean {
  return selector.requirements.every((requirement) => meets(requirement, labels));
}

/**
 * The selector as a list cursor's scope holds it (its canonical text), so that a cursor issued
 * for one selector is refused with another. No selector adds nothing to the scope, so cursors of
 * unselected lists stay as they were.
 */
export function labelSelectorScope(
  selector: LabelSelector | null | undefined,
): Readonly<Record<string, string>> {
  if (!selector || selector.requirements.length === 0) return {};
  return { labelSelector: formatLabelSelector(selector) };
}

/** A predicate on labelled records that keeps what `selector` selects (everything without one). */
export function selectedBy(
  selector: LabelSelector | null | undefined,
): (record: { readonly labels: Labels }) => boolean {
  if (!selector || selector.requirements.length === 0) return () => true;
  return (record) => matchesLabelSelector(selector, record.labels);
}
