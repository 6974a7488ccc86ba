import { readFile } from "node:fs/promises";

/** How often /etc/passwd is read again for a uid it did not name (a user added since). */
const REREAD_MS = 60_000;

/**
 * Login names by uid from /etc/passwd (the host's, as `ps -o user` shows them), read once and
 * again at most once a minute when a uid is missing. Users known only to LDAP/NSS stay as uids.
 */
export class UserNames {
  private names: Map<number, string> | null = null;
  private readAtMs = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly path = "/etc/passwd",
    private readonly nowMs: () => number = Date.now,
  ) {}

  async name(uid: number): Promise<string | undefined> {
    if (this.names?.has(uid) !== true && this.nowMs() - this.readAtMs >= REREAD_MS) await this.read();
    return this.names?.get(uid);
  }

  private read(): Promise<void> {
    this.reading ??= readFile(this.path, "utf8")
      .then(
        (text) => {
          const names = new Map<number, string>();
          for (const line of text.split("\n")) {
            const [name, , uid] = line.split(":");
            if (name && uid !== undefined && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
          }
          this.names = names;
        },
        () => undefined,
      )
      .finally(() => {
        this.readAtMs = this.nowMs();
        this.reading = null;
      });
    return this.reading;
  }
}
