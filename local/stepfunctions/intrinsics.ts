/**
 * Step Functions intrinsic functions (`States.Format(...)` in a `.$` field of a JSONPath state), parsed and
 * evaluated as AWS does: arguments are literals ('text' with \' \{ \} \\ escapes, numbers, null, booleans), paths
 * ($, $$, $variable) or nested calls.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { isObject, type Json } from './definition';
import { queryPath, type PathScope } from './paths';

/** An intrinsic that cannot run (bad syntax, argument types or counts): AWS fails the state with States.Runtime. */
export class IntrinsicError extends Error {
  override name = 'States.Runtime';
}

type Arg =
  /** `template`: a string literal with `\{`, `\}` and `\\` still escaped, as States.Format reads its template. */
  | { kind: 'literal'; value: Json; template?: string }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Arg[] };

/** Whether a `.$` field's value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

/** Evaluates an intrinsic call on the state's input. */
export function evaluateIntrinsic(text: string, input: Json, scope: PathScope): Json {
  const parser = new Parser(text);
  const call = parser.parseCall();
  parser.end();
  return run(call, input, scope);
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  private fail(message: string): never {
    throw new IntrinsicError(`Invalid intrinsic function '${this.text}': ${message}`);
  }

  private skip(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  end(): void {
    this.skip();
    if (this.i < this.text.length) this.fail(`unexpected '${this.text.slice(this.i)}'`);
  }

  parseCall(): Extract<Arg, { kind: 'call' }> {
    this.skip();
    const match = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.i));
    if (!match) this.fail('expected a States function');
    this.i += match[0].length;
    this.skip();
    if (this.text[this.i] !== '(') this.fail("expected '('");
    this.i++;
    const args: Arg[] = [];
    this.skip();
    if (this.text[this.i] === ')') {
      this.i++;
      return { kind: 'call', name: match[0], args };
    }
    for (;;) {
      args.push(this.parseArg());
      this.skip();
      const c = this.text[this.i];
      this.i++;
      if (c === ')') return { kind: 'call', name: match[0], args };
      if (c !== ',') this.fail("expected ',' or ')'");
    }
  }

  private parseArg(): Arg {
    this.skip();
    const rest = this.text.slice(this.i);
    if (rest.startsWith("'")) return { kind: 'literal', ...this.parseString() };
    if (rest.startsWith('States.')) return this.parseCall();
    if (rest.startsWith('$')) return { kind: 'path', path: this.parsePath() };
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|null|true|false)(?=\s*[,)])/.exec(rest);
    if (!literal) this.fail(`unexpected '${rest}'`);
    this.i += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as Json };
  }

  private parseString(): { value: string; template: string } {
    let value = '';
    let template = '';
    this.i++;
    for (; this.i < this.text.length; this.i++) {
      const c = this.text[this.i] ?? '';
      if (c === '\\') {
        this.i++;
        const escaped = this.text[this.i] ?? '';
        value += escaped;
        template += '{}\\'.includes(escaped) ? `\\${escaped}` : escaped;
      } else if (c === "'") {
        this.i++;
        return { value, template };
      } else {
        value += c;
        template += c;
      }
    }
    return this.fail('unterminated string');
  }

  /** A path runs to the first `,` or `)` outside brackets, parentheses and quotes. */
  private parsePath(): string {
    const start = this.i;
    let depth = 0;
    let quote: string | undefined;
    for (; this.i < this.text.length; this.i++) {
      const c = this.text[this.i] ?? '';
      if (quote) {
        if (c === '\\') this.i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if ((c === ']' || c === ')') && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) break;
    }
    return this.text.slice(start, this.i).trim();
  }
}

function run(call: Extract<Arg, { kind: 'call' }>, input: Json, scope: PathScope): Json {
  const args = call.args.map((arg, index): Json => {
    if (arg.kind === 'literal')
      return call.name === 'States.Format' && index === 0 && arg.template !== undefined
        ? arg.template
        : arg.value;
    if (arg.kind === 'path') return queryPath(arg.path, input, scope);
    return run(arg, input, scope);
  });
  const fn = FUNCTIONS[call.name];
  if (!fn) throw new IntrinsicError(`Unknown intrinsic function '${call.name}'`);
  return fn(args, call.name);
}

type Fn = (args: Json[], name: string) => Json;

function argCount(name: string, args: Json[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new IntrinsicError(
      `Intrinsic function ${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`,
    );
  }
}

function expect<T extends Json>(
  name: string,
  args: Json[],
  index: number,
  type: string,
  test: (value: Json) => value is T,
): T {
  const value = args[index] ?? null;
  if (!test(value)) {
    throw new IntrinsicError(
      `Intrinsic function ${name} expected argument ${index + 1} to be of type ${type}, but got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

const isString = (v: Json): v is string => typeof v === 'string';
const isNumber = (v: Json): v is number => typeof v === 'number';
const isArray = (v: Json): v is Json[] => Array.isArray(v);
const isObj = (v: Json): v is { [key: string]: Json } => isObject(v);

/** Java's `toString` of a JSON value, as States.Format prints non-string arguments. */
export function javaString(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (isObject(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaString(v)}`)
      .join(', ')}}`;
  return String(value);
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => jsonEquals(item, b[i] ?? null));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => k in b && jsonEquals(a[k] ?? null, b[k] ?? null))
    );
  }
  return false;
}

/** States.Hash / $hash algorithms, by AWS's names. */
export function hashText(data: string, algorithm: string): string | undefined {
  const names: Record<string, string> = {
    MD5: 'md5',
    'SHA-1': 'sha1',
    'SHA-256': 'sha256',
    'SHA-384': 'sha384',
    'SHA-512': 'sha512',
  };
  const node = names[algorithm];
  return node === undefined ? undefined : createHash(node).update(data, 'utf8').digest('hex');
}

/** `ArrayPartition` / `$partition`: chunks of `size` (the last may be shorter). */
export function partition(array: Json[], size: number): Json[][] {
  const chunks: Json[][] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

/** `ArrayRange` / `$range`: start to end inclusive by step. */
export function range(start: number, end: number, step: number): number[] {
  const values: number[] = [];
  if (step === 0) return values;
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    values.push(v);
    if (values.length > 1000) break;
  }
  return values;
}

const FUNCTIONS: Record<string, Fn> = {
  'States.Format': (args, name) => {
    const template = expect(name, args, 0, 'string', isString);
    const values = args.slice(1);
    let used = 0;
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const c = template[i];
      if (c === '\\' && i + 1 < template.length) {
        out += template[++i];
      } else if (c === '{' && template[i + 1] === '}') {
        if (used >= values.length)
          throw new IntrinsicError(`${name}: the template has more {} than arguments`);
        out += javaString(values[used++] ?? null);
        i++;
      } else out += c;
    }
    if (used !== values.length) throw new IntrinsicError(`${name}: the template has fewer {} than arguments`);
    return out;
  },
  'States.StringToJson': (args, name) => {
    argCount(name, args, 1);
    const text = expect(name, args, 0, 'string', isString);
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new IntrinsicError(`${name}: '${text}' is not valid JSON`);
    }
  },
  'States.JsonToString': (args, name) => {
    argCount(name, args, 1);
    return JSON.stringify(args[0] ?? null);
  },
  'States.Array': (args) => args,
  'States.ArrayPartition': (args, name) => {
    argCount(name, args, 2);
    const array = expect(name, args, 0, 'array', isArray);
    const size = expect(name, args, 1, 'number', isNumber);
    if (!Number.isInteger(size) || size <= 0)
      throw new IntrinsicError(`${name}: the chunk size must be a positive integer, got ${size}`);
    return partition(array, size);
  },
  'States.ArrayContains': (args, name) => {
    argCount(name, args, 2);
    const array = expect(name, args, 0, 'array', isArray);
    return array.some((item) => jsonEquals(item, args[1] ?? null));
  },
  'States.ArrayRange': (args, name) => {
    argCount(name, args, 3);
    const [start, end, step] = [0, 1, 2].map((i) => expect(name, args, i, 'number', isNumber));
    const values = range(start ?? 0, end ?? 0, step ?? 0);
    if (values.length > 1000) throw new IntrinsicError(`${name}: the range has more than 1000 items`);
    return values;
  },
  'States.ArrayGetItem': (args, name) => {
    argCount(name, args, 2);
    const array = expect(name, args, 0, 'array', isArray);
    const index = expect(name, args, 1, 'number', isNumber);
    if (!Number.isInteger(index) || index < 0 || index >= array.length)
      throw new IntrinsicError(`${name}: index ${index} is out of bounds`);
    return array[index] ?? null;
  },
  'States.ArrayLength': (args, name) => {
    argCount(name, args, 1);
    return expect(name, args, 0, 'array', isArray).length;
  },
  'States.ArrayUnique': (args, name) => {
    argCount(name, args, 1);
    const unique: Json[] = [];
    for (const item of expect(name, args, 0, 'array', isArray))
      if (!unique.some((u) => jsonEquals(u, item))) unique.push(item);
    return unique;
  },
  'States.Base64Encode': (args, name) => {
    argCount(name, args, 1);
    return Buffer.from(expect(name, args, 0, 'string', isString), 'utf8').toString('base64');
  },
  'States.Base64Decode': (args, name) => {
    argCount(name, args, 1);
    return Buffer.from(expect(name, args, 0, 'string', isString), 'base64').toString('utf8');
  },
  'States.Hash': (args, name) => {
    argCount(name, args, 2);
    const data = args[0] ?? null;
    const algorithm = expect(name, args, 1, 'string', isString);
    const hash = hashText(typeof data === 'string' ? data : JSON.stringify(data), algorithm);
    if (hash === undefined) throw new IntrinsicError(`${name}: unsupported algorithm '${algorithm}'`);
    return hash;
  },
  'States.JsonMerge': (args, name) => {
    argCount(name, args, 3);
    const a = expect(name, args, 0, 'object', isObj);
    const b = expect(name, args, 1, 'object', isObj);
    if (args[2] !== false) throw new IntrinsicError(`${name}: only a shallow merge (false) is supported`);
    return { ...a, ...b };
  },
  'States.MathRandom': (args, name) => {
    argCount(name, args, 2, 3);
    const start = Math.round(expect(name, args, 0, 'number', isNumber));
    const end = Math.round(expect(name, args, 1, 'number', isNumber));
    if (args.length === 3) expect(name, args, 2, 'number', isNumber);
    if (end <= start) return start;
    return randomInt(start, end);
  },
  'States.MathAdd': (args, name) => {
    argCount(name, args, 2);
    // AWS adds the arguments as integers, each rounded half up first (1.49 + 1.5 = 3, -0.5 + 0.5 = 1).
    return (
      Math.round(expect(name, args, 0, 'number', isNumber)) +
      Math.round(expect(name, args, 1, 'number', isNumber))
    );
  },
  'States.StringSplit': (args, name) => {
    argCount(name, args, 2);
    const text = expect(name, args, 0, 'string', isString);
    const delimiters = new Set(expect(name, args, 1, 'string', isString));
    // Every delimiter character splits, and empty tokens are dropped (Java's StringTokenizer).
    const tokens: string[] = [];
    let token = '';
    for (const c of text) {
      if (delimiters.has(c)) {
        if (token !== '') tokens.push(token);
        token = '';
      } else token += c;
    }
    if (token !== '') tokens.push(token);
    return tokens;
  },
  'States.UUID': (args, name) => {
    argCount(name, args, 0);
    return randomUUID();
  },
};
