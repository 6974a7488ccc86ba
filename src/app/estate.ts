import { DEFAULT_IMAGE_ID } from "../domain/images/image.ts";
import type { EndpointAddress } from "../domain/instance/endpoint.ts";
import type { Instance, InstanceRecord } from "../domain/instance/instance.ts";
import { insufficientInstanceCapacity } from "../domain/instance/resource-errors.ts";
import { recordSources, uniformSources, type OptionSource } from "../domain/instance/option-source.ts";
import { applyModification, EC2_DEFAULT_OPTIONS, type MetadataOptions, type MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { EndpointAllocator } from "./endpoint-allocator.ts";
import { buildInstanceRecord, type NewInstanceSpec } from "./instance-factory.ts";
import type { Clock, IdSource, InstanceRepository, KeyValueSettings, LiveEndpoints, Transactions } from "./ports.ts";

const DEFAULT_INSTANCE_KEY = "default-instance-id";
const ORDINAL_KEY = "next-instance-ordinal";

export interface EstatePorts {
  readonly instances: InstanceRepository;
  readonly settings: KeyValueSettings;
  readonly transactions: Transactions;
  readonly endpoints: LiveEndpoints;
  readonly allocator: EndpointAllocator;
  readonly clock: Clock;
  readonly ids: IdSource;
}

/** An instance as the control API lists it (`GET /_imds-lab/instances`, `startImdsLab().instances()`). */
export interface InstanceListing {
  readonly instanceId: string;
  readonly state: string;
  readonly region: string;
  readonly accountId: string;
  /** Its IMDS endpoint, e.g. http://127.1.0.1:1338; null while it has none (stopped). */
  readonly imds: string | null;
  readonly imdsIpv6: string | null;
  readonly metadataOptions: MetadataOptions;
}

export interface DefaultInstanceRequest {
  readonly accountId: string;
  readonly region: string;
  readonly roleName: string;
  readonly endpoint: EndpointAddress;
  readonly options: MetadataOptionsInput;
  readonly userData: string | null;
}

/**
 * The instances of the emulated estate and their live IMDS endpoints: every change is saved
 * first, then applied to the running endpoint, so what the API answered is what IMDS serves.
 */
export class Estate {
  constructor(private readonly ports: EstatePorts) {}

  /**
   * Attaches every stored instance to its endpoint again after a restart. A state file always
   * loads: an instance whose endpoint cannot be opened now is named in the result and stays
   * without one (its IMDS URL is null), the others serve.
   */
  async restore(): Promise<{ readonly instanceId: string; readonly reason: string }[]> {
    const failed: { instanceId: string; reason: string }[] = [];
    for (const instance of this.ports.instances.list()) {
      if (instance.record.state === "terminated") continue;
      try {
        await this.ports.endpoints.attach(instance.record, instance.endpoint);
      } catch (err) {
        failed.push({ instanceId: instance.record.instanceId, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    return failed;
  }

  /**
   * The instance `npm start` serves at the configured address: created on first start, kept
   * across restarts; options given at start are applied to it as a modification.
   */
  async ensureDefaultInstance(request: DefaultInstanceRequest): Promise<Instance> {
    const { instances, settings, transactions, endpoints, clock } = this.ports;
    const existingId = settings.setting(DEFAULT_INSTANCE_KEY);
    const existing = existingId === undefined ? undefined : instances.get(existingId);
    if (existing !== undefined) {
      const record: InstanceRecord = {
        ...existing.record,
        metadataOptions: applyModification(existing.record.metadataOptions, request.options),
        userData: request.userData ?? existing.record.userData,
      };
      const modified: OptionSource = { level: "modified-after-launch", via: "serve-flags", atMs: clock.nowMs() };
      const instance: Instance = {
        ...existing,
        record,
        endpoint: request.endpoint,
        optionSources: recordSources(request.options, modified, existing.optionSources),
      };
      instances.put(instance);
      if (!endpoints.has(record.instanceId)) await endpoints.attach(record, instance.endpoint);
      else await endpoints.update(record);
      return instance;
    }
    const record = buildInstanceRecord(
      {
        accountId: request.accountId,
        region: request.region,
        imageId: DEFAULT_IMAGE_ID,
        instanceType: "m5.large",
        launchIndex: 0,
        reservationId: `r-${this.ports.ids.hex(17)}`,
        launchTimeMs: clock.nowMs(),
        metadataOptions: applyModification(EC2_DEFAULT_OPTIONS, request.options),
        tags: [{ key: "Name", value: "imds-lab-default" }],
        userData: request.userData,
        roleName: request.roleName,
        keyName: "imds-lab",
        ordinal: this.nextOrdinal(),
      },
      this.ports.ids,
    );
    // The serve flags play the part of RunInstances parameters; anything else is EC2's default.
    const optionSources = recordSources(request.options, { level: "launch-parameters", via: "serve-flags" }, uniformSources({ level: "ec2-default" }));
    const instance: Instance = { record, endpoint: request.endpoint, optionSources };
    transactions.transaction(() => {
      instances.put(instance);
      settings.setSetting(DEFAULT_INSTANCE_KEY, record.instanceId);
    });
    const bound = await endpoints.attach(record, instance.endpoint);
    return { ...instance, endpoint: bound };
  }

  /**
   * Creates the instances of one launch, all or nothing: every endpoint is opened first; if one
   * cannot be (file descriptors or addresses ran out), the ones already open are closed and the
   * launch fails with InsufficientInstanceCapacity, leaving nothing behind; only then are the
   * instances committed, in one transaction.
   */
  async launchAll(
    specs: readonly Omit<NewInstanceSpec, "ordinal">[],
    launch: Pick<Instance, "optionSources" | "optionsPendingUntilMs">,
    adjust: (record: InstanceRecord) => InstanceRecord = (record) => record,
  ): Promise<Instance[]> {
    const { endpoints, allocator, ids } = this.ports;
    const planned = specs.map((spec): Instance => {
      const ordinal = this.nextOrdinal();
      return { ...launch, record: adjust(buildInstanceRecord({ ...spec, ordinal }, ids)), endpoint: allocator.forOrdinal(ordinal) };
    });
    const opened: Instance[] = [];
    try {
      for (const instance of planned) {
        const bound = await endpoints.attach(instance.record, instance.endpoint);
        opened.push({ ...instance, endpoint: bound });
      }
    } catch (err) {
      for (const instance of opened) await endpoints.detach(instance.record.instanceId).catch(() => undefined);
      const first = planned[0]!.record;
      if (isResourceExhausted(err)) throw insufficientInstanceCapacity(first.instanceType, first.availabilityZone);
      throw err;
    }
    this.ports.transactions.transaction(() => {
      for (const instance of opened) this.ports.instances.put(instance);
    });
    return opened;
  }


  /** Saves a changed instance and applies it to its live endpoint at once. */
  async save(instance: Instance): Promise<void> {
    this.ports.instances.put(instance);
    await this.ports.endpoints.update(instance.record);
  }

  get(instanceId: string): Instance | undefined {
    return this.ports.instances.get(instanceId);
  }

  list(scope?: AccountScope): Instance[] {
    return this.ports.instances.list(scope);
  }

  /** Every instance with its live endpoints, those `include` keeps (by default all). */
  listing(include: (instance: Instance) => boolean = () => true): InstanceListing[] {
    return this.list()
      .filter(include)
      .map(({ record }) => ({
        instanceId: record.instanceId,
        state: record.state,
        region: record.region,
        accountId: record.accountId,
        imds: this.ports.endpoints.url(record.instanceId),
        imdsIpv6: this.ports.endpoints.ipv6Url(record.instanceId),
        metadataOptions: record.metadataOptions,
      }));
  }

  defaultInstanceId(): string | undefined {
    return this.ports.settings.setting(DEFAULT_INSTANCE_KEY);
  }

  endpointUrl(instanceId: string): string | null {
    return this.ports.endpoints.url(instanceId);
  }

  ipv6EndpointUrl(instanceId: string): string | null {
    return this.ports.endpoints.ipv6Url(instanceId);
  }

  private nextOrdinal(): number {
    const next = Number(this.ports.settings.setting(ORDINAL_KEY) ?? "0");
    this.ports.settings.setSetting(ORDINAL_KEY, String(next + 1));
    return next;
  }
}

/** Errors of the operating system that mean "no more of this resource", not a mistake in the request. */
const EXHAUSTED = new Set(["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM", "EADDRNOTAVAIL"]);

function isResourceExhausted(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && EXHAUSTED.has(code);
}
