import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.ts";
import { claimStateFile, stampApplicationId, type ClaimedStateFile } from "./state-file.ts";

export interface ScopedDocument {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
}

type Table = "instances" | "images" | "launch_templates";
const KEY_COLUMN: Record<Table, string> = {
  instances: "instance_id",
  images: "image_id",
  launch_templates: "template_id",
};

/**
 * A collection of JSON documents kept in SQLite and mirrored in memory: reads never touch the
 * disk, every write is committed before the call returns (so an answered change survives a
 * kill -9).
 */
export class DocumentCollection<T> {
  private readonly cache = new Map<string, T>();
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(
    db: Database.Database,
    table: Table,
    private readonly scopeOf: (doc: T) => ScopedDocument,
  ) {
    const key = KEY_COLUMN[table];
    for (const row of db.prepare(`SELECT doc FROM ${table}`).all() as { doc: string }[]) {
      const doc = JSON.parse(row.doc) as T;
      this.cache.set(scopeOf(doc).id, doc);
    }
    this.upsert = db.prepare(
      `INSERT INTO ${table} (${key}, account_id, region, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT(${key}) DO UPDATE SET account_id = excluded.account_id, region = excluded.region, doc = excluded.doc`,
    );
    this.remove = db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`);
  }

  get(id: string): T | undefined {
    return this.cache.get(id);
  }

  /** Documents in insertion order, optionally of one account and region. */
  list(scope?: { accountId: string; region: string }): T[] {
    const all = [...this.cache.values()];
    if (scope === undefined) return all;
    return all.filter((doc) => {
      const s = this.scopeOf(doc);
      return s.accountId === scope.accountId && s.region === scope.region;
    });
  }

  put(doc: T): void {
    const s = this.scopeOf(doc);
    this.upsert.run(s.id, s.accountId, s.region, JSON.stringify(doc));
    this.cache.set(s.id, doc);
  }

  delete(id: string): void {
    this.remove.run(id);
    this.cache.delete(id);
  }

  get size(): number {
    return this.cache.size;
  }
}

export interface StoreOptions {
  /** A file path, or ":memory:" for --ephemeral. */
  readonly path: string;
}

/** The SQLite database file with WAL, migrations and the small key-value settings table. */
export class SqliteDatabase {
  readonly db: Database.Database;
  private readonly claim: ClaimedStateFile;
  private readonly getSetting: Database.Statement;
  private readonly putSetting: Database.Statement;

  constructor({ path }: StoreOptions) {
    this.claim = claimStateFile(path, MIGRATIONS.length);
    this.db = this.claim.db;
    this.db.pragma("journal_mode = WAL");
    // FULL: a change that was answered survives power loss too, not only a killed process.
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 5000");
    this.migrate();
    stampApplicationId(this.db);
    this.getSetting = this.db.prepare("SELECT value FROM settings WHERE key = ?");
    this.putSetting = this.db.prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    );
  }

  get schemaVersion(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  setting(key: string): string | undefined {
    return (this.getSetting.get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.putSetting.run(key, value);
  }

  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.claim.close();
  }

  private migrate(): void {
    const current = this.schemaVersion;
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        const migration = MIGRATIONS[version - 1]!;
        if (typeof migration === "string") this.db.exec(migration);
        else migration(this.db);
        this.db.pragma(`user_version = ${version}`);
      })();
    }
  }
}
