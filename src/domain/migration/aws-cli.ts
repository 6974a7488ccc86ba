/** The AWS CLI command each plan step corresponds to, so a reviewer can read or run it by hand. */

export function awsCli(service: string, operation: string, region: string, args: ReadonlyArray<readonly [string, string]>): string {
  const parts = ["aws", service, operation, "--region", region];
  for (const [flag, value] of args) parts.push(`--${flag}`, shellQuote(value));
  return parts.join(" ");
}

/** POSIX single quotes, only where the shell would otherwise split or expand. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
