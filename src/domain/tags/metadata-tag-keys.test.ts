import { test } from "node:test";
import assert from "node:assert/strict";
import { isTagKeyAllowedInMetadata, metadataTagKeyProblem } from "./metadata-tag-keys.ts";

for (const key of ["Name", "Environment", "aws:autoscaling:groupName", "a+b-c=d.e,f_g:h@i", "0", "...", "_index2", "x".repeat(128)]) {
  test(`isTagKeyAllowedInMetadata: ${JSON.stringify(key.length > 20 ? `${key.slice(0, 8)}…(${key.length})` : key)} is allowed`, () => {
    assert.equal(isTagKeyAllowedInMetadata(key), true);
    assert.equal(metadataTagKeyProblem(key), null);
  });
}

// docs/sources.md#tags-in-instance-metadata: no spaces or "/", only a-z A-Z 0-9 + - = . , _ : @, never exactly ".", ".." or "_index".
for (const key of ["my key", "team/app", "/", ".", "..", "_index", "", "naïve", "tab\there", "a*b", "a#b", "x".repeat(129)]) {
  test(`isTagKeyAllowedInMetadata: ${JSON.stringify(key.length > 20 ? `${key.slice(0, 8)}…(${key.length})` : key)} is refused`, () => {
    assert.equal(isTagKeyAllowedInMetadata(key), false);
    assert.match(metadataTagKeyProblem(key) ?? "", /is not valid for instance metadata/);
  });
}
