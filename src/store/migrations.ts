import type Database from "better-sqlite3";
import { upgradeOptionSources } from "./legacy-option-sources.ts";

/** SQL to run, or a data migration that rewrites stored documents. */
export type Migration = string | ((db: Database.Database) => void);

/**
 * Numbered schema migrations, applied in order inside one transaction each. Entities are stored
 * as JSON documents next to the columns the store looks them up by; a new field in a document
 * needs no migration, a new lookup column does.
 */
export const MIGRATIONS: readonly Migration[] = [
  // 1: the first schema
  `
  CREATE TABLE instances (
    instance_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX instances_by_scope ON instances (account_id, region);
  CREATE TABLE images (
    image_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE TABLE launch_templates (
    template_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE TABLE account_defaults (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (account_id, region)
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: CloudWatch's IMDS metrics, one row per instance, metric and minute (src/cloudwatch)
  `
  CREATE TABLE imds_metric_minutes (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    minute_ms INTEGER NOT NULL,
    sum INTEGER NOT NULL,
    PRIMARY KEY (instance_id, metric, minute_ms)
  ) WITHOUT ROWID;
  CREATE INDEX imds_metric_minutes_by_scope ON imds_metric_minutes (account_id, region, metric, minute_ms);
  `,
  // 3: option sources typed (domain OptionSource union) instead of { level, detail } prose
  upgradeInstanceOptionSources,
];

function upgradeInstanceOptionSources(db: Database.Database): void {
  const update = db.prepare("UPDATE instances SET doc = ? WHERE instance_id = ?");
  for (const row of db.prepare("SELECT instance_id, doc FROM instances").all() as { instance_id: string; doc: string }[]) {
    const doc = JSON.parse(row.doc) as { record: { region: string; launchTime: string }; optionSources?: unknown };
    const optionSources = upgradeOptionSources(doc.optionSources, doc.record.region, Date.parse(doc.record.launchTime));
    update.run(JSON.stringify({ ...doc, optionSources }), row.instance_id);
  }
}
