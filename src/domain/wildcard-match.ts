/**
 * `*` (any run of characters, none included) and `?` (exactly one) matched without a regular
 * expression. A pattern such as `*?*?*?*?*?*?*?*?Q` compiled to a RegExp backtracks
 * exponentially in the number of stars; this matcher splits the pattern at its stars and places
 * each star-free segment at its leftmost possible position, which is enough: a later segment can
 * only gain from an earlier one ending sooner. Worst case O(text × pattern) per test, no
 * allocation per test unless case is ignored.
 *
 * "Characters" are UTF-16 code units, as the regular expressions this replaces counted them.
 * Used by EC2 filters (docs/behaviour.md, "Filters") and IAM's Action / Resource / StringLike.
 */

/** One position of a segment: a literal code unit, or ANY_ONE for `?`. */
const ANY_ONE = -1;

export interface WildcardOptions {
  /** EC2 filters: a backslash makes the next character literal (`\*`, `\?`, `\\`). IAM has no escape. */
  readonly backslashEscapes?: boolean;
  /** IAM action names compare case-insensitively. */
  readonly ignoreCase?: boolean;
}

export interface CompiledWildcard {
  readonly pattern: string;
  test(value: string): boolean;
}

export function compileWildcard(pattern: string, options: WildcardOptions = {}): CompiledWildcard {
  const ignoreCase = options.ignoreCase === true;
  const segments = splitAtStars(pattern, options.backslashEscapes === true, ignoreCase);
  const starred = segments.length > 1;
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((s) => s.length > 0);
  const minLength = segments.reduce((sum, s) => sum + s.length, 0);
  return {
    pattern,
    test(raw: string): boolean {
      const value = ignoreCase ? canonicalCase(raw) : raw;
      if (!starred) return value.length === first.length && segmentAt(value, 0, first);
      if (value.length < minLength) return false;
      if (!segmentAt(value, 0, first)) return false;
      const end = value.length - last.length;
      if (!segmentAt(value, end, last)) return false;
      let from = first.length;
      for (const segment of middle) {
        const at = findSegment(value, from, end - segment.length, segment);
        if (at === -1) return false;
        from = at + segment.length;
      }
      return true;
    },
  };
}

/** Compiles and tests once; compile with compileWildcard when one pattern meets many values. */
export function matchesWildcard(pattern: string, value: string, options: WildcardOptions = {}): boolean {
  return compileWildcard(pattern, options).test(value);
}

function splitAtStars(pattern: string, escapes: boolean, ignoreCase: boolean): number[][] {
  const segments: number[][] = [[]];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const current = segments[segments.length - 1]!;
    if (escapes && c === "\\" && i + 1 < pattern.length) current.push(codeOf(pattern[++i]!, ignoreCase));
    else if (c === "*") segments.push([]);
    else if (c === "?") current.push(ANY_ONE);
    else current.push(codeOf(c, ignoreCase));
  }
  return segments;
}

function codeOf(c: string, ignoreCase: boolean): number {
  return (ignoreCase ? canonicalCase(c) : c).charCodeAt(0);
}

function segmentAt(value: string, at: number, segment: readonly number[]): boolean {
  for (let k = 0; k < segment.length; k++) {
    const code = segment[k]!;
    if (code !== ANY_ONE && value.charCodeAt(at + k) !== code) return false;
  }
  return true;
}

function findSegment(value: string, from: number, lastStart: number, segment: readonly number[]): number {
  for (let at = from; at <= lastStart; at++) if (segmentAt(value, at, segment)) return at;
  return -1;
}

/**
 * Case folding per code unit, as a RegExp with the `i` flag (and no `u`) compares: the upper
 * case of a unit when that is one unit, and never folding a non-ASCII unit onto ASCII.
 */
function canonicalCase(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const upper = c.toUpperCase();
    out += upper.length !== 1 || (c.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? c : upper;
  }
  return out;
}
