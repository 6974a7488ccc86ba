import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { findLaunchTemplateVersion, launchTemplateOptionsOf } from "../domain/launch-templates/resolve-version.ts";
import { seededRandom } from "../../test/support/ec2-harness.ts";
import { StateStore } from "../store/state-store.ts";
import { createIdSource } from "./instance-factory.ts";
import { LaunchTemplateService } from "./launch-template-service.ts";
import type { IdSource } from "./ports.ts";

/** The use cases over one store, as the composition root wires them. */
function templatesOf(deps: { store: StateStore; ids?: IdSource }): LaunchTemplateService {
  return new LaunchTemplateService({ templates: deps.store.launchTemplates, ids: deps.ids ?? createIdSource(seededRandom(0)) });
}

const US = { accountId: "111111111111", region: "us-east-1" };
const OTHER_ACCOUNT = { accountId: "222222222222", region: "us-east-1" };
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0, 750);

function code(expected: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.code === expected;
}

function withStore<T>(fn: (store: StateStore, path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-lt-"));
  const path = join(dir, "state.db");
  const store = new StateStore({ path });
  try {
    return fn(store, path);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("launch-template-service", () => {
  it("launch-template-service: templates are per account: names may repeat and ids do not leak", () => {
    withStore((store) => {
      const deps = { store, ids: createIdSource(seededRandom(1)) };
      const mine = templatesOf(deps).create(US, { name: "web", versionDescription: undefined, data: {}, tags: [], nowMs: NOW });
      const theirs = templatesOf(deps).create(OTHER_ACCOUNT, { name: "web", versionDescription: undefined, data: {}, tags: [], nowMs: NOW });
      assert.notEqual(mine.templateId, theirs.templateId);
      assert.equal(theirs.createdBy, "arn:aws:iam::222222222222:root");
      assert.throws(() => templatesOf({ store }).get(OTHER_ACCOUNT, { templateId: mine.templateId }), code("InvalidLaunchTemplateId.NotFound"));
      assert.deepEqual(templatesOf({ store }).describe(US, { templateIds: [], templateNames: [], filters: [] }).map((r) => r.templateId), [mine.templateId]);
    });
  });

  it("launch-template-service: create time is whole seconds", () => {
    withStore((store) => {
      const record = templatesOf({ store, ids: createIdSource(seededRandom(2)) }).create(US, { name: "web", versionDescription: "d", data: {}, tags: [], nowMs: NOW });
      assert.equal(record.createTime, "2026-11-29T12:00:00.000Z");
      assert.equal(record.versions[0]?.versionDescription, "d");
    });
  });

  it("launch-template-service: a template survives a restart and resolves as RunInstances will resolve it", () => {
    withStore((store, path) => {
      const deps = { store, ids: createIdSource(seededRandom(3)) };
      const record = templatesOf(deps).create(US, { name: "web", versionDescription: undefined, data: { metadataOptions: { httpTokens: "required" } }, tags: [], nowMs: NOW });
      templatesOf({ store }).createVersion(US, { ref: { templateName: "web" }, sourceVersion: "$Default", versionDescription: undefined, data: { metadataOptions: { httpPutResponseHopLimit: 3 } }, nowMs: NOW });
      templatesOf({ store }).setDefaultVersion(US, { templateId: record.templateId }, "2");
      // One server owns a state file: the restart comes after the first store let go of it.
      store.close();
      const reopened = new StateStore({ path });
      try {
        const loaded = templatesOf({ store: reopened }).get(US, { templateId: record.templateId });
        const version = findLaunchTemplateVersion(loaded, undefined);
        assert.equal(version.versionNumber, 2);
        assert.deepEqual(launchTemplateOptionsOf(loaded, version), { input: { httpPutResponseHopLimit: 3 }, templateId: record.templateId, templateName: "web", version: 2 });
      } finally {
        reopened.close();
      }
    });
  });

  it("launch-template-service: deleting versions keeps the issued counter so numbers are not reused", () => {
    withStore((store) => {
      const deps = { store, ids: createIdSource(seededRandom(4)) };
      templatesOf(deps).create(US, { name: "web", versionDescription: undefined, data: {}, tags: [], nowMs: NOW });
      const ref = { templateName: "web" };
      const add = () => templatesOf({ store }).createVersion(US, { ref, sourceVersion: undefined, versionDescription: undefined, data: { keyName: "k" }, nowMs: NOW }).version.versionNumber;
      assert.deepEqual([add(), add()], [2, 3]);
      const deletion = templatesOf({ store }).deleteVersions(US, ref, [2, 3]);
      assert.deepEqual(deletion.deleted, [2, 3]);
      assert.equal(deletion.record.latestVersionNumber, 1);
      assert.equal(add(), 4);
    });
  });
});
