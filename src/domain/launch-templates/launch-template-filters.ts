/**
 * The `Filter.N` semantics of DescribeLaunchTemplates and DescribeLaunchTemplateVersions, as EC2's
 * Describe* calls share them: values of one filter are OR-ed, filters are AND-ed, matching is
 * case-sensitive, and `*` / `?` in a value are wildcards (EC2 UG, "List and filter your resources").
 */
import { DomainError } from "../errors.ts";
import type { Tag } from "../instance/instance.ts";
import type { LaunchTemplateRecord, LaunchTemplateVersion } from "./launch-template.ts";
import { matchesWildcard } from "../wildcard-match.ts";

export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

const TAG_FILTER_PREFIX = "tag:";

/**
 * Filters the EC2 API reference lists for DescribeLaunchTemplateVersions that read fields this emulator never
 * stores (LaunchTemplateData members it does not emulate): valid names that match no version.
 */
const UNSTORED_VERSION_FILTERS = new Set([
  "ebs-optimized",
  "http-protocol-ipv4",
  "host-resource-group-arn",
  "kernel-id",
  "license-configuration-arn",
  "network-card-index",
  "ram-disk-id",
]);

/** EC2's answer to an unknown filter name, as DescribeInstances gives it. */
export function invalidFilter(name: string): DomainError {
  return new DomainError("InvalidParameterValue", `The filter '${name}' is invalid`);
}

function anyValueMatches(values: readonly string[], actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return values.some((pattern) => matchesWildcard(pattern, actual, { backslashEscapes: true }));
}

function tagFilterMatches(filter: Filter, tags: readonly Tag[]): boolean | undefined {
  if (filter.name === "tag-key") return tags.some((tag) => anyValueMatches(filter.values, tag.key));
  if (!filter.name.startsWith(TAG_FILTER_PREFIX)) return undefined;
  const key = filter.name.slice(TAG_FILTER_PREFIX.length);
  return tags.some((tag) => tag.key === key && anyValueMatches(filter.values, tag.value));
}

/** Throws on the first unknown filter name, so a typo is an error even when nothing is stored. */
export function checkTemplateFilters(filters: readonly Filter[]): void {
  for (const filter of filters) {
    const known = filter.name === "launch-template-name" || filter.name === "create-time" || filter.name === "tag-key";
    if (!known && !(filter.name.startsWith(TAG_FILTER_PREFIX) && filter.name.length > TAG_FILTER_PREFIX.length)) {
      throw invalidFilter(filter.name);
    }
  }
}

export function templateMatchesFilters(record: LaunchTemplateRecord, filters: readonly Filter[]): boolean {
  return filters.every((filter) => {
    if (filter.name === "launch-template-name") return anyValueMatches(filter.values, record.templateName);
    if (filter.name === "create-time") return anyValueMatches(filter.values, record.createTime);
    return tagFilterMatches(filter, record.tags) ?? false;
  });
}

const EMULATED_VERSION_FILTERS = new Set([
  "is-default-version",
  "create-time",
  "image-id",
  "instance-type",
  "iam-instance-profile",
  "http-tokens",
  "http-endpoint",
]);

function versionField(record: LaunchTemplateRecord, version: LaunchTemplateVersion, name: string): string | undefined {
  const data = version.data;
  switch (name) {
    case "is-default-version":
      return String(record.defaultVersionNumber === version.versionNumber);
    case "create-time":
      return version.createTime;
    case "image-id":
      return data.imageId;
    case "instance-type":
      return data.instanceType;
    case "iam-instance-profile":
      return data.iamInstanceProfile?.arn;
    case "http-tokens":
      return data.metadataOptions?.httpTokens;
    case "http-endpoint":
      return data.metadataOptions?.httpEndpoint;
    default:
      return undefined;
  }
}

/** The filter list of DescribeLaunchTemplateVersions in the EC2 API reference; anything else is invalid. */
export function checkVersionFilters(filters: readonly Filter[]): void {
  for (const filter of filters) {
    if (!EMULATED_VERSION_FILTERS.has(filter.name) && !UNSTORED_VERSION_FILTERS.has(filter.name)) throw invalidFilter(filter.name);
  }
}

export function versionMatchesFilters(record: LaunchTemplateRecord, version: LaunchTemplateVersion, filters: readonly Filter[]): boolean {
  return filters.every((filter) => anyValueMatches(filter.values, versionField(record, version, filter.name)));
}
