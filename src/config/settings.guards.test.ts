import assert from "node:assert/strict";
import { test } from "node:test";
import { loadSettings, SettingsError } from "./settings.ts";

test("settings: --allowed-hosts and IMDS_LAB_ALLOWED_HOSTS take a comma-separated list of names, lower-cased", () => {
  assert.deepEqual(loadSettings({}, {}).allowedHosts, []);
  assert.deepEqual(loadSettings({ allowedHosts: "imds-lab, Emulator.Internal ," }, {}).allowedHosts, ["imds-lab", "emulator.internal"]);
  assert.deepEqual(loadSettings({}, { IMDS_LAB_ALLOWED_HOSTS: "ci-host" }).allowedHosts, ["ci-host"]);
});

test("settings: the admin token comes from IMDS_LAB_ADMIN_TOKEN and must not be short", () => {
  assert.equal(loadSettings({}, {}).adminToken, undefined);
  assert.equal(loadSettings({}, { IMDS_LAB_ADMIN_TOKEN: "0123456789abcdef" }).adminToken, "0123456789abcdef");
  assert.throws(() => loadSettings({}, { IMDS_LAB_ADMIN_TOKEN: "short" }), SettingsError);
});
