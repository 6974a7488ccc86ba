import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { upgradeOptionSource } from "./legacy-option-sources.ts";
import { MIGRATIONS } from "./migrations.ts";
import { StateStore } from "./state-store.ts";

const LAUNCH = Date.UTC(2026, 10, 29, 12, 0, 0);

test("legacy-option-sources: every prose shape the previous release wrote reads back typed", () => {
  const up = (level: string, detail: string) => upgradeOptionSource({ level, detail }, "eu-west-1", LAUNCH);
  assert.deepEqual(up("launch-parameters", "RunInstances MetadataOptions"), { level: "launch-parameters", via: "ec2-api" });
  assert.deepEqual(up("launch-parameters", "imds-lab serve flags"), { level: "launch-parameters", via: "serve-flags" });
  assert.deepEqual(up("launch-template", "lt-0abc123 (web (prod)) version 12"), { level: "launch-template", templateId: "lt-0abc123", templateName: "web (prod)", version: 12 });
  assert.deepEqual(up("account-defaults", "us-east-2"), { level: "account-defaults", region: "us-east-2" });
  assert.deepEqual(up("ami", "ami-0a3c3a20c09d6f377 ImdsSupport=v2.0"), { level: "ami", imageId: "ami-0a3c3a20c09d6f377" });
  assert.deepEqual(up("ec2-default", "EC2 default"), { level: "ec2-default" });
  assert.deepEqual(up("modification", "ModifyInstanceMetadataOptions at 2026-11-30T08:00:00.000Z"), {
    level: "modified-after-launch",
    via: "ec2-api",
    atMs: Date.UTC(2026, 10, 30, 8, 0, 0),
  });
  assert.deepEqual(up("modification", "imds-lab serve flags at start"), { level: "modified-after-launch", via: "serve-flags", atMs: LAUNCH });
  assert.deepEqual(up("launch-template", "garbled"), { level: "unrecorded" });
  assert.deepEqual(up("something-else", "x"), { level: "unrecorded" });
  assert.deepEqual(upgradeOptionSource(undefined, "eu-west-1", LAUNCH), { level: "unrecorded" });
});

test("legacy-option-sources: a state file of the previous release opens with every instance and its sources typed", () => {
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-legacy-"));
  const path = join(dir, "state.db");
  try {
    // Schema 1 exactly as the previous release wrote it, with one launched and one older instance.
    const db = new Database(path);
    db.exec(MIGRATIONS[0] as string);
    db.pragma("user_version = 1");
    const record = (instanceId: string) => ({ instanceId, accountId: "123456789012", region: "us-east-1", launchTime: "2026-11-29T12:00:00Z", tags: [], state: "running" });
    const insert = db.prepare("INSERT INTO instances (instance_id, account_id, region, doc) VALUES (?, ?, ?, ?)");
    insert.run("i-0aaaaaaaaaaaaaaaa", "123456789012", "us-east-1", JSON.stringify({
      record: record("i-0aaaaaaaaaaaaaaaa"),
      endpoint: { host: "127.1.0.1", port: 1338 },
      optionSources: {
        httpTokens: { level: "ami", detail: "ami-0a3c3a20c09d6f377 ImdsSupport=v2.0" },
        httpPutResponseHopLimit: { level: "launch-template", detail: "lt-0123456789abcdef0 (web) version 3" },
        httpEndpoint: { level: "launch-parameters", detail: "RunInstances MetadataOptions" },
        httpProtocolIpv6: { level: "ec2-default", detail: "EC2 default" },
        instanceMetadataTags: { level: "modification", detail: "ModifyInstanceMetadataOptions at 2026-11-30T08:00:00.000Z" },
      },
      optionsPendingUntilMs: 5,
    }));
    insert.run("i-0bbbbbbbbbbbbbbbb", "123456789012", "us-east-1", JSON.stringify({ record: record("i-0bbbbbbbbbbbbbbbb"), endpoint: { host: "127.1.0.2", port: 1338 } }));
    db.close();

    const store = new StateStore({ path });
    try {
      assert.deepEqual(store.instances.list().map((i) => i.record.instanceId), ["i-0aaaaaaaaaaaaaaaa", "i-0bbbbbbbbbbbbbbbb"]);
      const launched = store.instances.get("i-0aaaaaaaaaaaaaaaa")!;
      assert.deepEqual(launched.optionSources, {
        httpTokens: { level: "ami", imageId: "ami-0a3c3a20c09d6f377" },
        httpPutResponseHopLimit: { level: "launch-template", templateId: "lt-0123456789abcdef0", templateName: "web", version: 3 },
        httpEndpoint: { level: "launch-parameters", via: "ec2-api" },
        httpProtocolIpv6: { level: "ec2-default" },
        instanceMetadataTags: { level: "modified-after-launch", via: "ec2-api", atMs: Date.UTC(2026, 10, 30, 8, 0, 0) },
      });
      assert.equal(launched.optionsPendingUntilMs, 5);
      assert.deepEqual(launched.endpoint, { host: "127.1.0.1", port: 1338 });
      const older = store.instances.get("i-0bbbbbbbbbbbbbbbb")!;
      assert.deepEqual(Object.values(older.optionSources), Array(5).fill({ level: "unrecorded" }));
      assert.equal(store.database.schemaVersion, MIGRATIONS.length);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
