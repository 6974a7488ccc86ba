/**
 * What the use cases need from the world, as interfaces. `src/store` implements the repositories
 * over SQLite, `src/imds` the live endpoints, `src/platform` the clock and randomness; only
 * `src/main.ts` (and the in-process test harnesses) plug them together.
 */
import type { ImageRecord } from "../domain/images/image.ts";
import type { EndpointAddress } from "../domain/instance/endpoint.ts";
import type { Instance, InstanceRecord } from "../domain/instance/instance.ts";
import type { LaunchTemplateRecord } from "../domain/launch-templates/launch-template.ts";
import type { AccountMetadataDefaults } from "../domain/options/account-defaults.ts";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { ScheduledEvent } from "../domain/events/scheduled-event.ts";
import type { ClientTokenEntry, ClientTokenKey } from "../domain/idempotency/client-token.ts";

/** Documents of one kind by id, in insertion order; every `put` is durable when it returns. */
export interface Repository<T> {
  get(id: string): T | undefined;
  list(scope?: AccountScope): T[];
  put(doc: T): void;
  delete(id: string): void;
}

export type InstanceRepository = Repository<Instance>;
/** Images registered by accounts; the public images are constants of the domain, not rows. */
export type ImageRepository = Repository<ImageRecord>;
export type LaunchTemplateRepository = Repository<LaunchTemplateRecord>;

export interface AccountDefaultsRepository {
  /** No row: no preference at every field. */
  accountDefaults(accountId: string, region: string): AccountMetadataDefaults;
  setAccountDefaults(accountId: string, region: string, defaults: AccountMetadataDefaults): void;
  accountDefaultsScopes(): { accountId: string; region: string; defaults: AccountMetadataDefaults }[];
}

/** Small named values the emulator keeps: the default instance, the next ordinal, signing keys. */
export interface KeyValueSettings {
  setting(key: string): string | undefined;
  setSetting(key: string, value: string): void;
}

export interface Transactions {
  /** Runs `fn` so that all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
}

/**
 * The data plane's side of an instance: open its endpoint, apply a changed record, close it. The
 * promise resolves once the endpoint serves the record, so an answered API call is what IMDS serves.
 */
export interface LiveEndpoints {
  /** Binds the endpoint (port 0: a free one) and serves the record; resolves with the bound address. */
  attach(record: InstanceRecord, endpoint: EndpointAddress): Promise<EndpointAddress>;
  update(record: InstanceRecord): Promise<void>;
  /** Closes the instance's endpoint (a launch that could not open all of its endpoints undoes the others). */
  detach(instanceId: string): Promise<void>;
  /** Whether the instance has an endpoint (listening or not: a stopped instance keeps its own). */
  has(instanceId: string): boolean;
  url(instanceId: string): string | null;
  ipv6Url(instanceId: string): string | null;
}

/** Random hex digits for resource ids (i-…, ami-…, lt-…). */
export interface IdSource {
  hex(length: number): string;
}

/** Who called each instance's IMDS and how (the observe feature answers it in-process). */
export interface CallerObservations {
  report(): Promise<CallerReport>;
}

export type { Clock } from "../platform/clock.ts";

/** The scheduled events of the instances (kept by the notices feature), as DescribeInstanceStatus reads them. */
export interface ScheduledEventsQuery {
  list(instanceId?: string): readonly ScheduledEvent[];
}

/** ClientToken idempotency: what the first request with a token did, per account, Region and action. */
export interface ClientTokenRepository {
  get(key: ClientTokenKey): ClientTokenEntry | undefined;
  put(key: ClientTokenKey, entry: ClientTokenEntry): void;
}
