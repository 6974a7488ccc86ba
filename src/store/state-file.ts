/**
 * Opening the state file: claim it for this process alone, and refuse a file that is not
 * imds-lab's, is from a newer release, or is damaged, with one line that names the file, before
 * anything is written to it (docs/behaviour.md, "What the API refuses, and why").
 *
 * The claim is SQLite's own: `locking_mode=EXCLUSIVE` keeps the file lock from the first write
 * until the connection closes, and the operating system drops it when the process dies, kill -9
 * included, so there is no stale lock to clean up. A pid file beside the database only names the
 * holder for the message; it is never trusted as the lock itself.
 */
import Database from "better-sqlite3";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { StateFileError } from "../app/state-file-error.ts";

/** `PRAGMA application_id` of imds-lab state files: "imds" in ASCII (SQLite file format, offset 68). */
export const STATE_FILE_APPLICATION_ID = 0x696d6473;
/** Tables every imds-lab state file has had since the first release (which had application_id 0). */
const CORE_TABLES = ["instances", "settings"] as const;
const SQLITE_HEADER = "SQLite format 3\0";

export interface ClaimedStateFile {
  readonly db: Database.Database;
  /** Releases the claim: closes the database and removes the pid file. */
  close(): void;
}

/** Opens, claims and validates `path`; `knownVersion` is the newest schema this build knows. */
export function claimStateFile(path: string, knownVersion: number, pid: number = process.pid): ClaimedStateFile {
  if (path === ":memory:") {
    const db = new Database(path);
    return { db, close: () => db.open && db.close() };
  }
  mkdirSync(dirname(path), { recursive: true });
  checkHeader(path);
  const pidFile = `${path}.pid`;
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (err) {
    throw unreadable(path, err);
  }
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    validate(db, path, knownVersion);
    // The first write takes the exclusive lock; it stays until close.
    db.exec("BEGIN IMMEDIATE; COMMIT");
  } catch (err) {
    db.close();
    if (isBusy(err)) throw inUse(path, pidFile);
    if (err instanceof StateFileError) throw err;
    throw unreadable(path, err);
  }
  writeFileSync(pidFile, `${pid}\n`);
  return {
    db,
    close() {
      if (!db.open) return;
      db.close();
      rmSync(pidFile, { force: true });
    },
  };
}

/** Stamps a new or first-release file as imds-lab's; call inside the first migration's transaction or after. */
export function stampApplicationId(db: Database.Database): void {
  if (db.pragma("application_id", { simple: true }) !== STATE_FILE_APPLICATION_ID) db.pragma(`application_id = ${STATE_FILE_APPLICATION_ID}`);
}

/** Any non-empty file must start with SQLite's magic string; checked without opening it as a database. */
function checkHeader(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // a new file
  }
  if (size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const fd = openSync(path, "r");
    try {
      readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw unreadable(path, err); // a directory, or no permission to read
  }
  if (header.toString("latin1") !== SQLITE_HEADER) {
    throw new StateFileError(`${path} is not an imds-lab state file (not an SQLite database); it was left untouched. Choose another --state file, or move this one aside.`);
  }
}

function validate(db: Database.Database, path: string, knownVersion: number): void {
  const applicationId = db.pragma("application_id", { simple: true }) as number;
  const version = db.pragma("user_version", { simple: true }) as number;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  const fresh = applicationId === 0 && version === 0 && tables.size === 0;
  const firstRelease = applicationId === 0 && version >= 1 && CORE_TABLES.every((t) => tables.has(t));
  if (applicationId !== STATE_FILE_APPLICATION_ID && !fresh && !firstRelease) {
    throw new StateFileError(`${path} is not an imds-lab state file (it belongs to another application); it was left untouched. Choose another --state file.`);
  }
  if (version > knownVersion) {
    throw new StateFileError(
      `${path} was written by a newer imds-lab (schema ${version}; this one knows up to ${knownVersion}); it was left untouched. Upgrade imds-lab, or choose another --state file.`,
    );
  }
  const check = db.pragma("quick_check", { simple: true });
  if (check !== "ok") {
    const problem = String(check).split("\n").find((line) => line !== "" && !line.startsWith("***")) ?? String(check);
    throw new StateFileError(damagedMessage(path, `integrity check: ${problem.slice(0, 200)}`));
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

function inUse(path: string, pidFile: string): StateFileError {
  let holder = "another process";
  try {
    const pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) holder = `process ${pid}`;
  } catch {
    // No pid file: a process that is not imds-lab holds it, or one starting right now.
  }
  return new StateFileError(`${path} is in use by ${holder}; stop it, or give this server another --state file (or --ephemeral).`);
}

/** A pid file left by a killed server may name a process that no longer exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Loading failed after the claim (a damaged document, say): the same one line, never a stack. */
export function asStateFileError(path: string, err: unknown): StateFileError {
  return err instanceof StateFileError ? err : unreadable(path, err);
}

function unreadable(path: string, err: unknown): StateFileError {
  return new StateFileError(damagedMessage(path, firstLine(err)));
}

/** The one line for a damaged file, with the way back. */
export function damagedMessage(path: string, cause: string): string {
  return `${path} cannot be read (${cause}); it was left untouched. To recover, move it aside (mv '${path}' '${path}.damaged') and start again with an empty state, or restore a copy.`;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0]!.slice(0, 200);
}
