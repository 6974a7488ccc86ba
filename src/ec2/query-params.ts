/**
 * EC2 Query parameters: a form body and/or URL query string -> a flat map -> lists and structures
 * in the `ec2` protocol's flattened form (`InstanceId.1`, `Filter.2.Value.1`,
 * `TagSpecification.1.Tag.2.Key`).
 *
 * Defined behaviour for malformed input (nothing here throws anything but DomainError):
 * - duplicate key: the FIRST occurrence wins, the URL query string before the body (Java servlet
 *   `getParameter` semantics, which is what AWS's Query front ends are built on);
 * - list indexes are canonical positive integers (`1`, `2`, ... `10`); `0`, `01`, `-1`, `1.5`,
 *   `x` are not list members and are ignored by the list readers;
 * - gaps are closed up: `X.1`, `X.3` read as two elements, in numeric order;
 * - huge indexes are compared as digit strings (length, then text), never converted to numbers;
 * - keys with an empty segment (`X..Y`, `X.`) are ignored by the structure readers;
 * - a key that is both a value and a prefix (`X.1` and `X.1.Y`): the nested form wins;
 * - a key nested deeper than MAX_NESTING segments: DomainError UnknownParameter;
 * - malformed percent-escapes stay literal, invalid UTF-8 decodes to U+FFFD (URLSearchParams);
 * - more than `maxBytes` of input: DomainError RequestEntityTooLarge.
 */
import { Buffer } from "node:buffer";
import { DomainError } from "../domain/errors.ts";
import {
  ErrorCode,
  MAX_QUERY_BODY_BYTES,
  MEMBER_KEY,
  MEMBER_RESOURCE_TYPE,
  MEMBER_TAG,
  MEMBER_VALUE,
  PARAM_TAG_SPECIFICATION,
} from "./constants.ts";

export type QueryParams = ReadonlyMap<string, string>;
export type QueryNode = string | QueryStruct | QueryNode[];
export interface QueryStruct {
  [member: string]: QueryNode;
}

export interface QuerySource {
  readonly body?: string | Uint8Array;
  /** The URL's query string, with or without its leading `?`. */
  readonly query?: string;
}

/** Deeper than any EC2 input shape (LaunchTemplateData.NetworkInterface.N.Ipv6Addresses.N.Ipv6Address is 6). */
export const MAX_NESTING = 16;
const CANONICAL_INDEX = /^[1-9][0-9]*$/;

export function bodyTooLargeError(bytes: number, maxBytes: number): DomainError {
  return new DomainError(
    ErrorCode.RequestEntityTooLarge,
    `The request is ${bytes} bytes; at most ${maxBytes} bytes are accepted.`,
  );
}

export function parseQueryParams(source: QuerySource, { maxBytes = MAX_QUERY_BODY_BYTES } = {}): Map<string, string> {
  const query = source.query ?? "";
  const body = source.body ?? "";
  const bytes = Buffer.byteLength(query) + (typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  if (bytes > maxBytes) throw bodyTooLargeError(bytes, maxBytes);
  const params = new Map<string, string>();
  const bodyText = typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  for (const text of [query, bodyText]) {
    for (const [key, value] of new URLSearchParams(text)) {
      if (!params.has(key)) params.set(key, value);
    }
  }
  return params;
}

export function getString(params: QueryParams, name: string): string | undefined {
  return params.get(name);
}

/** EC2 answers a malformed scalar with InvalidParameterValue; the sentence is ours (docs/behaviour.md#error-wording). */
export function getBoolean(params: QueryParams, name: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${raw}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`);
}

export function getInteger(params: QueryParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const value = /^[+-]?[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${raw}) for parameter ${name} is invalid. Expected an integer.`);
  }
  return value;
}

function compareIndexes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** `InstanceId.1`, `InstanceId.2`, ... in numeric order; see the module comment for odd indexes. */
export function getList(params: QueryParams, prefix: string): string[] {
  const head = `${prefix}.`;
  const found: [string, string][] = [];
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const index = key.slice(head.length);
    if (CANONICAL_INDEX.test(index)) found.push([index, value]);
  }
  return found.sort((a, b) => compareIndexes(a[0], b[0])).map(([, value]) => value);
}

interface Trie {
  value?: string;
  readonly children: Map<string, Trie>;
}

function defineMember(target: QueryStruct, name: string, node: QueryNode): void {
  // defineProperty keeps a member literally named "__proto__" an own key instead of a prototype swap.
  Object.defineProperty(target, name, { value: node, enumerable: true, writable: true, configurable: true });
}

function trieToNode(trie: Trie): QueryNode {
  if (trie.children.size === 0) return trie.value ?? "";
  const names = [...trie.children.keys()];
  if (names.every((name) => CANONICAL_INDEX.test(name))) {
    return names.sort(compareIndexes).map((name) => trieToNode(trie.children.get(name)!));
  }
  const struct: QueryStruct = {};
  for (const [name, child] of trie.children) defineMember(struct, name, trieToNode(child));
  return struct;
}

/**
 * Every `prefix.N.*` member decoded into nested records, in index order. Within a member a
 * segment whose siblings are all canonical indexes is a list, anything else a structure.
 * `prefix.N` with a plain value (no members) is returned as `{}`.
 */
export function getStructs(params: QueryParams, prefix: string): QueryStruct[] {
  const head = `${prefix}.`;
  const root: Trie = { children: new Map() };
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const segments = key.slice(head.length).split(".");
    if (!CANONICAL_INDEX.test(segments[0]!) || segments.includes("")) continue;
    if (segments.length > MAX_NESTING) {
      throw new DomainError(ErrorCode.UnknownParameter, `The parameter ${key.slice(0, 256)} is not recognized.`);
    }
    let node = root;
    for (const segment of segments) {
      let next = node.children.get(segment);
      if (next === undefined) {
        next = { children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.value = value;
  }
  return [...root.children.keys()].sort(compareIndexes).map((index) => {
    const node = trieToNode(root.children.get(index)!);
    return typeof node === "object" && !Array.isArray(node) ? node : {};
  });
}

/**
 * Shallow form of {@link getStructs}: members that are a string or a list of strings, e.g.
 * `getStructList(p, "Filter")` -> `[{ Name: "tag:Name", Value: ["web-0", "web-1"] }]`.
 * Deeper members are left out; read them with getStructs.
 */
export function getStructList(params: QueryParams, prefix: string): Record<string, string | string[]>[] {
  return getStructs(params, prefix).map((struct) => {
    const flat: Record<string, string | string[]> = {};
    for (const [name, node] of Object.entries(struct)) {
      if (typeof node === "string") defineMember(flat, name, node);
      else if (Array.isArray(node) && node.every((item) => typeof item === "string")) defineMember(flat, name, node as string[]);
    }
    return flat;
  });
}

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}
export interface TagSpecification {
  readonly ResourceType: string | undefined;
  readonly Tags: readonly Tag[];
}

/**
 * `TagSpecification.N.ResourceType` and `TagSpecification.N.Tag.M.{Key,Value}`. A tag without a
 * Value gets "" (EC2 stores an absent value as empty); a tag without a Key is MissingParameter
 * (docs/behaviour.md#error-wording).
 */
export function getTagSpecifications(params: QueryParams, prefix = PARAM_TAG_SPECIFICATION): TagSpecification[] {
  return getStructs(params, prefix).map((struct, specIndex) => {
    const resourceType = struct[MEMBER_RESOURCE_TYPE];
    const tagNodes = struct[MEMBER_TAG];
    const tags = (Array.isArray(tagNodes) ? tagNodes : []).map((tagNode, tagIndex): Tag => {
      const tag = typeof tagNode === "object" && !Array.isArray(tagNode) ? tagNode : {};
      const key = tag[MEMBER_KEY];
      const value = tag[MEMBER_VALUE];
      if (typeof key !== "string") {
        const name = `${prefix}.${specIndex + 1}.${MEMBER_TAG}.${tagIndex + 1}.${MEMBER_KEY}`;
        throw new DomainError(ErrorCode.MissingParameter, `The request must contain the parameter ${name}`);
      }
      return { Key: key, Value: typeof value === "string" ? value : "" };
    });
    return { ResourceType: typeof resourceType === "string" ? resourceType : undefined, Tags: tags };
  });
}
