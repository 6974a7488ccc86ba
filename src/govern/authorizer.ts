/**
 * The dispatcher's `authorize` hook: who is calling, which policies govern them, what the call
 * asks for, and, when something denies, EC2's UnauthorizedOperation with the encoded message.
 * With no identity policy for the caller and no SCP for its account, the call is allowed: an
 * emulator without governance behaves like an administrator's account.
 */
import { DomainError } from "../domain/errors.ts";
import {
  decodedAuthorizationMessage,
  UNAUTHORIZED_OPERATION,
  unauthorizedOperationMessage,
} from "../domain/policy/authorization-message.ts";
import { authorizeAll, type AuthorizationRequest, type GovernedPolicies } from "../domain/policy/evaluate-policy.ts";
import type { CallScope } from "../domain/policy/ec2-authorization.ts";
import type { Authorizer } from "../ec2/query-api.ts";
import { encodeAuthorizationMessage } from "./authorization-codec.ts";
import { authorizationRequestsFor, type RequestDeps } from "./ec2-authorization-requests.ts";
import type { GovernanceState } from "./governance-state.ts";
import type { Caller, Principals } from "./principals.ts";

export interface AuthorizerDeps extends Omit<RequestDeps, "conditionKeyValues"> {
  readonly state: GovernanceState;
  readonly principals: Principals;
}

/** The policies that govern a caller; undefined members are not applied. */
export function policiesFor(state: GovernanceState, caller: Caller): GovernedPolicies {
  return { identity: state.identityPoliciesFor(caller.principalArn), scps: state.scpsFor(caller.accountId) };
}

/** Throws UnauthorizedOperation for the first denied request; returns when all are allowed. */
export function enforce(caller: Caller, policies: GovernedPolicies, requests: readonly AuthorizationRequest[]): void {
  const denied = authorizeAll(policies, requests);
  if (denied === undefined) return;
  const decoded = decodedAuthorizationMessage(caller, denied.request, denied.result);
  const encoded = encodeAuthorizationMessage(decoded);
  throw new DomainError(UNAUTHORIZED_OPERATION, unauthorizedOperationMessage(caller, denied.request, denied.result, encoded));
}

export function createAuthorizer(deps: AuthorizerDeps): Authorizer {
  const requestDeps: RequestDeps = { ...deps, conditionKeyValues: () => deps.state.conditionKeyValues };
  return (action, input, ctx) => {
    if (!deps.state.hasPolicies()) return;
    const caller = deps.principals.callerOf(ctx.accessKeyId, ctx.accountId);
    const policies = policiesFor(deps.state, caller);
    if (policies.identity === undefined && policies.scps === undefined) return;
    const scope: CallScope = { principal: caller, region: ctx.region, accountId: ctx.accountId, nowMs: ctx.nowMs };
    enforce(caller, policies, authorizationRequestsFor(action, input, ctx, scope, requestDeps));
  };
}
