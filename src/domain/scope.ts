/** One AWS account in one Region: the scope every EC2 resource and account setting lives in. */
export interface AccountScope {
  readonly accountId: string;
  readonly region: string;
}

export function sameScope(a: AccountScope, b: AccountScope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}
