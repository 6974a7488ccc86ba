import type { ApplicationPorts } from "../app/application.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { ImageRecord } from "../domain/images/image.ts";
import type { LaunchTemplateRecord } from "../domain/launch-templates/launch-template.ts";
import { NO_ACCOUNT_DEFAULTS, type AccountMetadataDefaults } from "../domain/options/account-defaults.ts";
import { DocumentCollection, SqliteDatabase, type StoreOptions } from "./sqlite-store.ts";

/**
 * All persisted state of the emulator, opened once by the composition root. It implements the
 * application's repository ports (src/app/ports.ts): the collections are the instance, image and
 * launch template repositories, the class itself the account defaults and key-value settings.
 */
export class StateStore {
  readonly database: SqliteDatabase;
  readonly instances: DocumentCollection<Instance>;
  /** Images registered by accounts; the public ones are constants (PUBLIC_IMAGES), not rows. */
  readonly images: DocumentCollection<ImageRecord>;
  readonly launchTemplates: DocumentCollection<LaunchTemplateRecord>;
  private readonly defaults = new Map<string, AccountMetadataDefaults>();

  constructor(options: StoreOptions) {
    this.database = new SqliteDatabase(options);
    this.instances = new DocumentCollection<Instance>(this.database.db, "instances", (d) => ({
      id: d.record.instanceId,
      accountId: d.record.accountId,
      region: d.record.region,
    }));
    this.images = new DocumentCollection<ImageRecord>(this.database.db, "images", (d) => ({
      id: d.imageId,
      accountId: d.ownerId,
      region: d.region,
    }));
    this.launchTemplates = new DocumentCollection<LaunchTemplateRecord>(this.database.db, "launch_templates", (d) => ({
      id: d.templateId,
      accountId: d.accountId,
      region: d.region,
    }));
    for (const row of this.database.db.prepare("SELECT account_id, region, doc FROM account_defaults").all() as {
      account_id: string;
      region: string;
      doc: string;
    }[]) {
      this.defaults.set(`${row.account_id}/${row.region}`, JSON.parse(row.doc) as AccountMetadataDefaults);
    }
  }

  /** The account-level metadata defaults of one account in one region (none set: no preference). */
  accountDefaults(accountId: string, region: string): AccountMetadataDefaults {
    return this.defaults.get(`${accountId}/${region}`) ?? NO_ACCOUNT_DEFAULTS;
  }

  setAccountDefaults(accountId: string, region: string, defaults: AccountMetadataDefaults): void {
    this.database.db
      .prepare(
        `INSERT INTO account_defaults (account_id, region, doc) VALUES (?, ?, ?)
         ON CONFLICT(account_id, region) DO UPDATE SET doc = excluded.doc`,
      )
      .run(accountId, region, JSON.stringify(defaults));
    this.defaults.set(`${accountId}/${region}`, defaults);
  }

  /** Every account and region that has defaults set (the audit walks these). */
  accountDefaultsScopes(): { accountId: string; region: string; defaults: AccountMetadataDefaults }[] {
    return [...this.defaults].map(([key, defaults]) => {
      const [accountId, region] = key.split("/") as [string, string];
      return { accountId, region, defaults };
    });
  }

  /** The repository ports of the application that this store implements. */
  repositoryPorts(): Pick<ApplicationPorts, "instances" | "images" | "templates" | "defaults" | "settings" | "transactions"> {
    return { instances: this.instances, images: this.images, templates: this.launchTemplates, defaults: this, settings: this, transactions: this };
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
