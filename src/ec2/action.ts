import type { QueryParams } from "./query-params.ts";
import type { XmlObject } from "./xml.ts";
import type { Application } from "../app/application.ts";

/** Who is calling, where, and with what: everything an Action may read besides its services. */
export interface ActionContext {
  readonly accountId: string;
  readonly region: string;
  readonly accessKeyId: string | undefined;
  readonly requestId: string;
  readonly params: QueryParams;
  readonly nowMs: number;
}

/**
 * One EC2 Query API action: `parse` turns the form fields into typed input and decides the whole
 * outcome (it may read state, it never writes), or throws an AWS-shaped DomainError; `execute`
 * only writes and returns the response members. So a refused call changes nothing. The
 * dispatcher answers DryRun between the two.
 */
export interface Ec2Action<Input = unknown> {
  readonly name: string;
  parse(ctx: ActionContext, services: Application): Input;
  execute(input: Input, ctx: ActionContext, services: Application): XmlObject | Promise<XmlObject>;
}

/** Keeps each action's Input type while collecting them in one list. */
export function defineAction<Input>(action: Ec2Action<Input>): Ec2Action<Input> {
  return action;
}

// Actions differ in their Input; the registry only needs to call parse then execute.
export type AnyEc2Action = Ec2Action<any>;
