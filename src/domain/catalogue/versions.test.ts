import { test } from "node:test";
import assert from "node:assert/strict";
import { existsIn, isMetadataVersion, METADATA_VERSIONS } from "./versions.ts";

test("METADATA_VERSIONS: oldest first, 1.0 first and latest last, so plain string order is version order", () => {
  assert.equal(METADATA_VERSIONS[0], "1.0");
  assert.equal(METADATA_VERSIONS.at(-1), "latest");
  assert.deepEqual([...METADATA_VERSIONS].sort(), [...METADATA_VERSIONS]);
});

test("METADATA_VERSIONS: includes every version cloud-init probes", () => {
  for (const version of ["2009-04-04", "2016-09-02", "2018-09-24", "2021-03-23"]) assert.ok(isMetadataVersion(version), version);
});

test("isMetadataVersion: unknown or malformed versions are not versions", () => {
  for (const value of ["2099-01-01", "2021-03-24", "LATEST", "latest/", "", "meta-data", "1"]) assert.equal(isMetadataVersion(value), false, value);
});

test("existsIn: a category is served from the version that introduced it onwards", () => {
  assert.equal(existsIn("2021-03-23", "2021-03-23"), true);
  assert.equal(existsIn("2021-03-23", "latest"), true);
  assert.equal(existsIn("2021-03-23", "2021-01-03"), false);
  assert.equal(existsIn("1.0", "1.0"), true);
  assert.equal(existsIn("2007-01-19", "1.0"), false);
});
