import type { ClientTokenEntry, ClientTokenKey } from "../domain/idempotency/client-token.ts";
import type { ClientTokenRepository, KeyValueSettings } from "./ports.ts";

const KEY_PREFIX = "client-token";

/**
 * The tokens of idempotent requests, kept in the settings (SQLite in the store, so they survive a
 * restart like the resources they name). EC2 keeps them at least as long as the resources.
 */
export class SettingsClientTokens implements ClientTokenRepository {
  constructor(private readonly settings: KeyValueSettings) {}

  get(key: ClientTokenKey): ClientTokenEntry | undefined {
    const raw = this.settings.setting(settingKey(key));
    return raw === undefined ? undefined : (JSON.parse(raw) as ClientTokenEntry);
  }

  put(key: ClientTokenKey, entry: ClientTokenEntry): void {
    this.settings.setSetting(settingKey(key), JSON.stringify(entry));
  }
}

function settingKey(key: ClientTokenKey): string {
  return [KEY_PREFIX, key.accountId, key.region, key.action, key.token].map(encodeURIComponent).join("/");
}
