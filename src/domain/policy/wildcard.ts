/**
 * IAM's two wildcards: `*` matches any run of characters (none included), `?` exactly one
 * (IAM User Guide, "IAM JSON policy elements: Action / Resource", and StringLike). Everything else
 * is literal, regular-expression metacharacters included.
 */
import { compileWildcard } from "../wildcard-match.ts";

export interface WildcardMatcher {
  readonly pattern: string;
  test(value: string): boolean;
}

export function wildcardMatcher(pattern: string, options: { ignoreCase?: boolean } = {}): WildcardMatcher {
  // Not a RegExp: `*?*?*?…` would backtrack exponentially (docs/behaviour.md, "What the API refuses").
  return compileWildcard(pattern, { ignoreCase: options.ignoreCase === true });
}

/**
 * A Resource element against a request's resource ARN. `*` alone matches everything; otherwise the
 * ARN is compared segment by segment (partition, service, region, account, resource), so a
 * wildcard never spans a colon between the first five segments, as IAM documents for ARNs.
 */
export function resourceMatcher(pattern: string): WildcardMatcher {
  if (pattern === "*") return { pattern, test: () => true };
  const patternSegments = splitArn(pattern);
  const segmentMatchers = patternSegments.map((segment) => wildcardMatcher(segment));
  // A short ARN ending in a wildcard (`arn:aws:ec2:*`) covers the segments it leaves out.
  const short = patternSegments.length < 6 && pattern.endsWith("*");
  return {
    pattern,
    test(value) {
      const segments = splitArn(value);
      if (short && segments.length >= segmentMatchers.length) {
        const last = segmentMatchers.length - 1;
        const head = segmentMatchers.slice(0, last).every((matcher, i) => matcher.test(segments[i]!));
        return head && segmentMatchers[last]!.test(segments.slice(last).join(":"));
      }
      if (segments.length !== segmentMatchers.length) return false;
      return segmentMatchers.every((matcher, i) => matcher.test(segments[i]!));
    },
  };
}

/** `arn:partition:service:region:account:resource`; the resource keeps any further colons. */
function splitArn(arn: string): string[] {
  const parts = arn.split(":");
  if (parts.length <= 6) return parts;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
