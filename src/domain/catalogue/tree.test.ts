import { test } from "node:test";
import assert from "node:assert/strict";
import { dir, findNode, leaf, listDirectory, type MetadataDirectory } from "./tree.ts";

const root: MetadataDirectory = dir("1.0", [
  ["a-leaf", leaf("1.0", "value")],
  ["sub", dir("1.0", { x: leaf("1.0", "1"), y: leaf("2010-01-01", "2") })],
  ["newer", leaf("2020-01-01", "new")],
  ["newer-dir", dir("2020-01-01", { z: leaf("2020-01-01", "3") })],
  ["empty", dir("1.0", {})],
  ["only-empty-inside", dir("1.0", { inner: dir("1.0", {}) })],
  ["only-newer-inside", dir("1.0", { late: leaf("2020-01-01", "late") })],
  ["kept-empty", dir("1.0", {}, { allowEmpty: true })],
  ["0", dir("1.0", { "openssh-key": leaf("1.0", "ssh-ed25519 AAAA") }, { label: "0=my-key" })],
  ["dropped", null],
]);

test("listDirectory: one entry per line, no trailing newline, sub-directories end with /", () => {
  const listing = listDirectory(root, "latest");
  assert.equal(listing, "a-leaf\nsub/\nnewer\nnewer-dir/\nonly-newer-inside/\nkept-empty/\n0=my-key");
  assert.ok(!listing.endsWith("\n"));
});

test("listDirectory: a plain-listing directory names its sub-directories without /", () => {
  const versionRoot = dir("1.0", { "meta-data": dir("1.0", { a: leaf("1.0", "1") }), "user-data": leaf("1.0", "x") }, { plainListing: true });
  assert.equal(listDirectory(versionRoot, "latest"), "meta-data\nuser-data");
});

test("listDirectory: entries newer than the version are left out", () => {
  assert.equal(listDirectory(root, "2009-04-04"), "a-leaf\nsub/\nkept-empty/\n0=my-key");
  assert.equal(listDirectory(findNode(root, ["sub"], "2009-04-04") as MetadataDirectory, "2009-04-04"), "x");
});

test("findNode: finds leaves and directories by segment", () => {
  assert.deepEqual(findNode(root, ["a-leaf"], "latest"), leaf("1.0", "value"));
  assert.equal(findNode(root, ["sub"], "latest")?.kind, "dir");
  assert.equal(findNode(root, [], "latest"), root);
});

test("findNode: an entry newer than the version is not there", () => {
  assert.equal(findNode(root, ["newer"], "2019-12-31"), null);
  assert.equal(findNode(root, ["newer-dir", "z"], "2019-12-31"), null);
  assert.notEqual(findNode(root, ["newer"], "2020-01-01"), null);
});

test("findNode: an empty directory is absent (EC2 answers 404), even when its children are only empty or newer", () => {
  assert.equal(findNode(root, ["empty"], "latest"), null);
  assert.equal(findNode(root, ["only-empty-inside"], "latest"), null);
  assert.equal(findNode(root, ["only-newer-inside"], "2009-04-04"), null);
  assert.notEqual(findNode(root, ["only-newer-inside"], "latest"), null);
});

test("findNode: an allowEmpty directory is served with an empty listing", () => {
  const node = findNode(root, ["kept-empty"], "latest");
  assert.equal(node?.kind, "dir");
  assert.equal(listDirectory(node as MetadataDirectory, "latest"), "");
});

test("findNode: nothing lies below a leaf, and unknown names are absent", () => {
  assert.equal(findNode(root, ["a-leaf", "more"], "latest"), null);
  assert.equal(findNode(root, ["nope"], "latest"), null);
  assert.equal(findNode(root, ["dropped"], "latest"), null);
});

test("findNode: a labelled directory is found by its name, not its label", () => {
  assert.equal(findNode(root, ["0", "openssh-key"], "latest")?.kind, "leaf");
  assert.equal(findNode(root, ["0=my-key"], "latest"), null);
});

test("leaf: only binary leaves carry the binary flag", () => {
  assert.deepEqual(leaf("1.0", "x"), { kind: "leaf", since: "1.0", value: "x" });
  assert.deepEqual(leaf("1.0", "x", true), { kind: "leaf", since: "1.0", value: "x", binary: true });
});
