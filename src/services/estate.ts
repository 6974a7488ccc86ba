import type { InstanceRecord } from "../domain/instance/instance.ts";
import { DEFAULT_IMAGE_ID } from "../domain/images/image.ts";
import { OPTION_FIELDS } from "../domain/precedence/resolve.ts";
import { applyModification, EC2_DEFAULT_OPTIONS, type MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import type { EndpointAddress } from "../imds/imds-host.ts";
import type { ImdsEndpoints } from "../imds/imds-endpoints.ts";
import type { InstanceDocument, StateStore } from "../store/state-store.ts";
import type { Clock } from "../platform/clock.ts";
import { EndpointAllocator } from "./endpoint-allocator.ts";
import { buildInstanceRecord, type IdSource, type NewInstanceSpec } from "./instance-factory.ts";

const DEFAULT_INSTANCE_KEY = "default-instance-id";
const ORDINAL_KEY = "next-instance-ordinal";

/**
 * The instances of the emulated estate and their live IMDS endpoints: every change is saved
 * first, then applied to the running endpoint, so what the API answered is what IMDS serves.
 */
export class Estate {
  constructor(
    private readonly store: StateStore,
    private readonly host: ImdsEndpoints,
    private readonly allocator: EndpointAllocator,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** Attaches every stored instance to its endpoint again after a restart. */
  async restore(): Promise<void> {
    for (const doc of this.store.instances.list()) {
      if (doc.record.state === "terminated") continue;
      await this.host.attach(doc.record, doc.endpoint);
    }
  }

  /**
   * The instance `npm start` serves at the configured address: created on first start, kept
   * across restarts; options given at start are applied to it as a modification.
   */
  async ensureDefaultInstance(args: {
    accountId: string;
    region: string;
    roleName: string;
    endpoint: EndpointAddress;
    options: MetadataOptionsInput;
    userData: string | null;
  }): Promise<InstanceDocument> {
    const existingId = this.store.setting(DEFAULT_INSTANCE_KEY);
    const existing = existingId === undefined ? undefined : this.store.instances.get(existingId);
    if (existing !== undefined) {
      const record: InstanceRecord = {
        ...existing.record,
        metadataOptions: applyModification(existing.record.metadataOptions, args.options),
        userData: args.userData ?? existing.record.userData,
      };
      const optionSources = { ...existing.optionSources };
      for (const field of OPTION_FIELDS) {
        if (args.options[field] !== undefined) optionSources[field] = { level: "modification", detail: "imds-lab serve flags at start" };
      }
      const doc: InstanceDocument = { ...existing, record, endpoint: args.endpoint, optionSources };
      this.store.instances.put(doc);
      if (this.host.runtime(record.instanceId) === undefined) await this.host.attach(record, doc.endpoint);
      else await this.host.update(record);
      return doc;
    }
    const record = buildInstanceRecord(
      {
        accountId: args.accountId,
        region: args.region,
        imageId: DEFAULT_IMAGE_ID,
        instanceType: "m5.large",
        launchIndex: 0,
        reservationId: `r-${this.ids.hex(17)}`,
        launchTimeMs: this.clock.nowMs(),
        metadataOptions: applyModification(EC2_DEFAULT_OPTIONS, args.options),
        tags: [{ key: "Name", value: "imds-lab-default" }],
        userData: args.userData,
        roleName: args.roleName,
        keyName: "imds-lab",
        ordinal: this.nextOrdinal(),
      },
      this.ids,
    );
    // The serve flags play the part of RunInstances parameters; anything else is EC2's default.
    const optionSources: Record<string, { level: string; detail: string }> = {};
    for (const field of OPTION_FIELDS) {
      optionSources[field] =
        args.options[field] !== undefined
          ? { level: "launch-parameters", detail: "imds-lab serve flags" }
          : { level: "ec2-default", detail: "EC2 default" };
    }
    const doc: InstanceDocument = { record, endpoint: args.endpoint, optionSources };
    this.store.transaction(() => {
      this.store.instances.put(doc);
      this.store.setSetting(DEFAULT_INSTANCE_KEY, record.instanceId);
    });
    const bound = await this.host.attach(record, doc.endpoint);
    return { ...doc, endpoint: bound };
  }

  /** Creates, saves and serves a new instance on the next free loopback endpoint. */
  async launch(spec: Omit<NewInstanceSpec, "ordinal">, extra: Partial<InstanceDocument> = {}): Promise<InstanceDocument> {
    const ordinal = this.nextOrdinal();
    const record = buildInstanceRecord({ ...spec, ordinal }, this.ids);
    const doc: InstanceDocument = { ...extra, record, endpoint: this.allocator.forOrdinal(ordinal) };
    this.store.instances.put(doc);
    const bound = await this.host.attach(record, doc.endpoint);
    if (bound.port !== doc.endpoint.port) {
      const withPort = { ...doc, endpoint: bound };
      this.store.instances.put(withPort);
      return withPort;
    }
    return doc;
  }

  /** Saves a changed instance and applies it to its live endpoint at once. */
  async save(doc: InstanceDocument): Promise<void> {
    this.store.instances.put(doc);
    await this.host.update(doc.record);
  }

  get(instanceId: string): InstanceDocument | undefined {
    return this.store.instances.get(instanceId);
  }

  list(scope?: { accountId: string; region: string }): InstanceDocument[] {
    return this.store.instances.list(scope);
  }

  defaultInstanceId(): string | undefined {
    return this.store.setting(DEFAULT_INSTANCE_KEY);
  }

  endpointUrl(instanceId: string): string | null {
    return this.host.url(instanceId);
  }

  private nextOrdinal(): number {
    const next = Number(this.store.setting(ORDINAL_KEY) ?? "0");
    this.store.setSetting(ORDINAL_KEY, String(next + 1));
    return next;
  }
}
