import type { InstanceRecord } from "../domain/instance/instance.ts";
import type { EndpointAddress } from "../imds/imds-host.ts";
import { DocumentCollection, SqliteDatabase, type StoreOptions } from "./sqlite-store.ts";

/** An instance as stored: its record and the loopback endpoint that serves its metadata. */
export interface InstanceDocument {
  readonly record: InstanceRecord;
  readonly endpoint: EndpointAddress;
  /** Where each metadata option came from at launch (launch-parameters, account-defaults, ...). */
  readonly optionSources?: Readonly<Record<string, { readonly level: string; readonly detail: string }>>;
  /** Until this instant DescribeInstances reports the metadata options as `pending`. */
  readonly optionsPendingUntilMs?: number;
}

/** All persisted state of the emulator, opened once by the composition root. */
export class StateStore {
  readonly database: SqliteDatabase;
  readonly instances: DocumentCollection<InstanceDocument>;

  constructor(options: StoreOptions) {
    this.database = new SqliteDatabase(options);
    this.instances = new DocumentCollection<InstanceDocument>(this.database.db, "instances", (d) => ({
      id: d.record.instanceId,
      accountId: d.record.accountId,
      region: d.record.region,
    }));
  }

  setting(key: string): string | undefined {
    return this.database.setting(key);
  }

  setSetting(key: string, value: string): void {
    this.database.setSetting(key, value);
  }

  transaction<T>(fn: () => T): T {
    return this.database.transaction(fn);
  }

  close(): void {
    this.database.close();
  }
}
