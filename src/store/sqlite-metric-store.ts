/** The metric store in the emulator's SQLite database (table of migration 2). */
import type Database from "better-sqlite3";
import type { ImdsMetricName } from "../cloudwatch/constants.ts";
import type { MetricSeriesKey, MetricStore, MinuteSum } from "../cloudwatch/metric-store.ts";

export class SqliteMetricStore implements MetricStore {
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly selectSeries: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO imds_metric_minutes (account_id, region, instance_id, metric, minute_ms, sum) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(instance_id, metric, minute_ms) DO UPDATE SET sum = sum + excluded.sum`,
    );
    this.select = db.prepare(
      `SELECT minute_ms AS minuteMs, sum FROM imds_metric_minutes
       WHERE instance_id = ? AND metric = ? AND account_id = ? AND region = ? AND minute_ms >= ? AND minute_ms < ? ORDER BY minute_ms`,
    );
    this.selectSeries = db.prepare(
      `SELECT DISTINCT instance_id AS instanceId, metric FROM imds_metric_minutes
       WHERE account_id = ? AND region = ? AND minute_ms >= ? ORDER BY instance_id, metric`,
    );
    this.remove = db.prepare("DELETE FROM imds_metric_minutes WHERE minute_ms < ?");
  }

  add(key: MetricSeriesKey, minuteMs: number, sum: number): void {
    this.upsert.run(key.accountId, key.region, key.instanceId, key.metric, minuteMs, sum);
  }

  minutes(key: MetricSeriesKey, fromMs: number, toMs: number): MinuteSum[] {
    return this.select.all(key.instanceId, key.metric, key.accountId, key.region, fromMs, toMs) as MinuteSum[];
  }

  series(accountId: string, region: string, sinceMs: number): MetricSeriesKey[] {
    const rows = this.selectSeries.all(accountId, region, sinceMs) as { instanceId: string; metric: ImdsMetricName }[];
    return rows.map((r) => ({ accountId, region, instanceId: r.instanceId, metric: r.metric }));
  }

  purge(beforeMs: number): number {
    return this.remove.run(beforeMs).changes;
  }
}
