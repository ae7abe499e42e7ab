// PEP 508 environment markers, evaluated for a target platform and Python version, so a package the
// lockfile installs only on Windows (`; sys_platform == "win32"`) or only on old Pythons is analysed only
// where pip would install it. Hand-written: no maintained npm library evaluates PEP 508 markers.
// Fail open towards analysis: a marker that cannot be read, or a variable the gate cannot know (extra,
// platform_release), counts as true, so it never removes a platform pip might install on.
import { satisfies, valid } from '@renovatebot/pep440';

export type MarkerEnvironment = Record<string, string>;

const VERSION_VARIABLES = new Set(['python_version', 'python_full_version', 'implementation_version']);
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 50;

type Token = { kind: 'name' | 'string' | 'op' | '(' | ')'; text: string };

function tokenize(marker: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < marker.length) {
    const c = marker[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"' || c === "'") {
      const end = marker.indexOf(c, i + 1);
      if (end === -1) return null;
      tokens.push({ kind: 'string', text: marker.slice(i + 1, end) });
      i = end + 1;
    } else if ('<>=!~'.includes(c)) {
      const match = /^(===|==|!=|<=|>=|~=|<|>)/.exec(marker.slice(i, i + 3));
      if (!match) return null;
      tokens.push({ kind: 'op', text: match[1]! });
      i += match[1]!.length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < marker.length && /[A-Za-z0-9_.]/.test(marker[j]!)) j++;
      tokens.push({ kind: 'name', text: marker.slice(i, j) });
      i = j;
    } else {
      return null;
    }
  }
  return tokens;
}

/** True, false, or null when the marker cannot be read (then the caller assumes it may apply). */
export function evaluateMarker(marker: string, env: MarkerEnvironment): boolean | null {
  if (marker.length > MAX_LENGTH) return null;
  const tokens = tokenize(marker);
  if (!tokens || tokens.length === 0) return null;
  let at = 0;
  const peek = () => tokens[at];

  const value = (): { variable?: string; text: string } | null => {
    const t = tokens[at++];
    if (!t) return null;
    if (t.kind === 'string') return { text: t.text };
    if (t.kind === 'name' && t.text !== 'and' && t.text !== 'or' && t.text !== 'in' && t.text !== 'not')
      return { variable: t.text, text: env[t.text] ?? '' };
    return null;
  };

  const comparison = (): boolean | null | undefined => {
    const left = value();
    if (!left) return undefined;
    const op = peek();
    if (!op) return undefined;
    let operator: string;
    if (op.kind === 'op') {
      operator = op.text;
      at++;
    } else if (op.kind === 'name' && op.text === 'in') {
      operator = 'in';
      at++;
    } else if (op.kind === 'name' && op.text === 'not' && tokens[at + 1]?.text === 'in') {
      operator = 'not in';
      at += 2;
    } else return undefined;
    const right = value();
    if (!right) return undefined;
    const variable = left.variable ?? right.variable;
    // A variable the environment does not define (extra, platform_release): may apply.
    if (variable === undefined || !(variable in env)) return null;
    if (operator === 'in') return right.text.includes(left.text);
    if (operator === 'not in') return !right.text.includes(left.text);
    if (VERSION_VARIABLES.has(variable) && valid(left.text) && valid(right.text) && operator !== '===') {
      // PEP 508: version comparison when both sides are versions; the variable may sit on either side.
      try {
        if (left.variable !== undefined) return satisfies(left.text, `${operator}${right.text}`);
        const flipped: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
        return satisfies(right.text, `${flipped[operator] ?? operator}${left.text}`);
      } catch {
        return null;
      }
    }
    if (operator === '==' || operator === '===') return left.text === right.text;
    if (operator === '!=') return left.text !== right.text;
    return null;
  };

  // Three-valued: null (unknown) is kept apart so `unknown and false` is false, `unknown or true` true.
  const and = (a: boolean | null, b: boolean | null) =>
    a === false || b === false ? false : a === null || b === null ? null : true;
  const or = (a: boolean | null, b: boolean | null) =>
    a === true || b === true ? true : a === null || b === null ? null : false;

  const atom = (depth: number): boolean | null | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    if (peek()?.kind === '(') {
      at++;
      const inner = expression(depth + 1);
      if (inner === undefined || peek()?.kind !== ')') return undefined;
      at++;
      return inner;
    }
    return comparison();
  };

  /** `operand (word operand)*`, folded left with combine: `and` binds tighter, so it is the inner chain. */
  const chain =
    (operand: (depth: number) => boolean | null | undefined, word: 'and' | 'or', combine: typeof and) =>
    (depth: number): boolean | null | undefined => {
      let result = operand(depth);
      while (result !== undefined && peek()?.kind === 'name' && peek()!.text === word) {
        at++;
        const next = operand(depth);
        if (next === undefined) return undefined;
        result = combine(result, next);
      }
      return result;
    };
  const conjunction = chain(atom, 'and', and);
  const expression = chain(conjunction, 'or', or);
  const result = expression(0);
  if (result === undefined || at !== tokens.length) return null;
  return result;
}

const TARGET_ENVIRONMENTS: Record<string, MarkerEnvironment> = {
  linux: { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix' },
  windows: { sys_platform: 'win32', platform_system: 'Windows', os_name: 'nt' },
  macos: { sys_platform: 'darwin', platform_system: 'Darwin', os_name: 'posix' },
};
const MACHINES: Record<string, string> = {
  'linux-x86_64': 'x86_64',
  'linux-aarch64': 'aarch64',
  'musllinux-x86_64': 'x86_64',
  'musllinux-aarch64': 'aarch64',
  'windows-amd64': 'AMD64',
  'windows-x86': 'x86',
  'windows-arm64': 'ARM64',
  'macos-arm64': 'arm64',
  'macos-x86_64': 'x86_64',
};

/** The marker environment of CPython 3.<minor> on a target platform id (src/registry/tags.ts). */
export function targetEnvironment(platformId: string, minor: number): MarkerEnvironment {
  const os = platformId.startsWith('windows')
    ? 'windows'
    : platformId.startsWith('macos')
      ? 'macos'
      : 'linux';
  return {
    ...TARGET_ENVIRONMENTS[os],
    ...(MACHINES[platformId] ? { platform_machine: MACHINES[platformId] } : {}),
    python_version: `3.${minor}`,
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
  };
}

/** Whether pip would install a requirement with this marker there: false only when the marker says no. */
export function markerMayApply(marker: string | undefined, platformId: string, minor: number): boolean {
  if (!marker?.trim()) return true;
  const env = targetEnvironment(platformId, minor);
  // python_full_version: any patch release of 3.<minor> (a marker like >= "3.8.1" holds for some).
  for (const patch of ['0', '99']) {
    if (evaluateMarker(marker, { ...env, python_full_version: `3.${minor}.${patch}` }) !== false) return true;
  }
  return false;
}
