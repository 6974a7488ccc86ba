import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { StateFileError } from "../app/state-file-error.ts";
import { claimStateFile, STATE_FILE_APPLICATION_ID } from "./state-file.ts";
import { openStateStore } from "./open-state-store.ts";
import { MIGRATIONS } from "./migrations.ts";

const dir = mkdtempSync(join(tmpdir(), "imds-lab-state-file-"));
let n = 0;
const fresh = () => join(dir, `state-${++n}.db`);

/** The refusal's one line, and proof the file was not written. */
function refusal(path: string): string {
  const before = readFileSync(path);
  const mtime = statSync(path).mtimeMs;
  let message = "";
  assert.throws(
    () => openStateStore(path),
    (err: unknown) => {
      assert.ok(err instanceof StateFileError, String(err));
      message = err.message;
      return true;
    },
  );
  assert.ok(!message.includes("\n"), "one line");
  assert.ok(message.startsWith(path), message);
  assert.deepEqual(readFileSync(path), before, "the file is untouched");
  assert.equal(statSync(path).mtimeMs, mtime);
  return message;
}

function sqliteFile(path: string, setup: (db: Database.Database) => void): string {
  const db = new Database(path);
  setup(db);
  db.close();
  return path;
}

describe("state file (issue 11, reproductions 5 and 8)", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("state-file: a second opener of a claimed file is refused, naming the holder's pid; the claim ends on close", () => {
    const path = fresh();
    const first = openStateStore(path);
    try {
      assert.equal(readFileSync(`${path}.pid`, "utf8").trim(), String(process.pid));
      assert.throws(() => claimStateFile(path, MIGRATIONS.length), (err: unknown) => {
        assert.ok(err instanceof StateFileError);
        assert.equal(err.message, `${path} is in use by process ${process.pid}; stop it, or give this server another --state file (or --ephemeral).`);
        return true;
      });
    } finally {
      first.close();
    }
    const again = openStateStore(path);
    again.close();
  });

  it("state-file: a new file is stamped with imds-lab's application id; a first-release file (id 0, our tables) is accepted and stamped", () => {
    const path = fresh();
    openStateStore(path).close();
    const stamped = new Database(path, { readonly: true });
    assert.equal(stamped.pragma("application_id", { simple: true }), STATE_FILE_APPLICATION_ID);
    stamped.close();

    const legacy = sqliteFile(fresh(), (db) => {
      db.exec(MIGRATIONS[0] as string);
      db.pragma("user_version = 1");
    });
    openStateStore(legacy).close();
    const upgraded = new Database(legacy, { readonly: true });
    assert.equal(upgraded.pragma("application_id", { simple: true }), STATE_FILE_APPLICATION_ID);
    assert.equal(upgraded.pragma("user_version", { simple: true }), MIGRATIONS.length);
    upgraded.close();
  });

  it("state-file: another application's SQLite file is refused and left untouched", () => {
    const other = sqliteFile(fresh(), (db) => db.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)"));
    assert.match(refusal(other), /is not an imds-lab state file \(it belongs to another application\)/);
    const otherId = sqliteFile(fresh(), (db) => db.pragma("application_id = 1234"));
    assert.match(refusal(otherId), /belongs to another application/);
  });

  it("state-file: a file from a newer schema (user_version 999) is refused and left untouched", () => {
    const newer = sqliteFile(fresh(), (db) => {
      db.exec(MIGRATIONS[0] as string);
      db.pragma(`application_id = ${STATE_FILE_APPLICATION_ID}`);
      db.pragma("user_version = 999");
    });
    assert.match(refusal(newer), new RegExp(`written by a newer imds-lab \\(schema 999; this one knows up to ${MIGRATIONS.length}\\)`));
  });

  it("state-file: text, JSON and damaged databases give one line with the way back, no stack", () => {
    const text = fresh();
    writeFileSync(text, '{"instances": []}\n');
    assert.match(refusal(text), /is not an imds-lab state file \(not an SQLite database\)/);

    const directory = fresh();
    mkdirSync(directory);
    assert.throws(() => openStateStore(directory), (err: unknown) => err instanceof StateFileError && err.message.startsWith(`${directory} cannot be read (`));

    const damaged = fresh();
    openStateStore(damaged).close();
    const bytes = readFileSync(damaged);
    bytes.fill(0xa5, 4096, bytes.length); // every page after the first: tables and indexes
    writeFileSync(damaged, bytes);
    assert.match(refusal(damaged), /cannot be read \(.+\); it was left untouched\. To recover, move it aside/);

    const badDocument = fresh();
    const store = openStateStore(badDocument);
    store.database.db.prepare("INSERT INTO instances (instance_id, account_id, region, doc) VALUES ('i-1', 'a', 'r', '{not json')").run();
    store.close();
    assert.match(refusal(badDocument), /cannot be read \(.*JSON.*\); it was left untouched/);
  });
});
