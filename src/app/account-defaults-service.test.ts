import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { StateStore } from "../store/state-store.ts";
import { AccountDefaultsService } from "./account-defaults-service.ts";

const ACCOUNT = "123456789012";
const LOCKING_POLICY = {
  ec2_attributes: {
    instance_metadata_defaults: { http_tokens: { "@@assign": "required" }, http_tokens_enforced: { "@@assign": "enabled" } },
    exception_message: { "@@assign": "Contact cloud-platform@example.com" },
  },
};

function withService(fn: (service: AccountDefaultsService, store: StateStore) => void): void {
  const store = new StateStore({ path: ":memory:" });
  try {
    fn(new AccountDefaultsService(store), store);
  } finally {
    store.close();
  }
}

test("AccountDefaultsService: setDeclarativePolicy replaces the account's defaults and locks them", () => {
  withService((service) => {
    service.modify(ACCOUNT, "us-east-1", { httpPutResponseHopLimit: 3, httpEndpoint: "enabled" });
    const imposed = service.setDeclarativePolicy(ACCOUNT, "us-east-1", LOCKING_POLICY);
    assert.deepEqual(service.get(ACCOUNT, "us-east-1"), imposed);
    assert.deepEqual(imposed, {
      managedBy: "declarative-policy",
      httpTokens: "required",
      httpTokensEnforced: "enabled",
      managedExceptionMessage: "Contact cloud-platform@example.com",
    });
    assert.throws(
      () => service.modify(ACCOUNT, "us-east-1", { httpTokens: "optional" }),
      (err: unknown) => err instanceof DomainError && err.code === "UnsupportedOperation" && err.message.endsWith("Contact cloud-platform@example.com"),
    );
  });
});

test("AccountDefaultsService: a malformed policy changes nothing", () => {
  withService((service) => {
    service.modify(ACCOUNT, "us-east-1", { httpTokens: "optional" });
    const before = service.get(ACCOUNT, "us-east-1");
    assert.throws(() => service.setDeclarativePolicy(ACCOUNT, "us-east-1", { ec2_attributes: { instance_metadata_defaults: { http_tokens: { "@@assign": "v2" } } } }));
    assert.deepEqual(service.get(ACCOUNT, "us-east-1"), before);
  });
});

test("AccountDefaultsService: a policy applies to one account and Region only", () => {
  withService((service) => {
    service.setDeclarativePolicy(ACCOUNT, "eu-west-1", LOCKING_POLICY);
    assert.equal(service.get(ACCOUNT, "us-east-1").managedBy, "account");
    assert.equal(service.get("210987654321", "eu-west-1").managedBy, "account");
    service.modify(ACCOUNT, "us-east-1", { httpTokens: "optional" });
  });
});

test("AccountDefaultsService: clearDeclarativePolicy hands the values back to the account", () => {
  withService((service) => {
    service.setDeclarativePolicy(ACCOUNT, "us-east-1", LOCKING_POLICY);
    assert.deepEqual(service.clearDeclarativePolicy(ACCOUNT, "us-east-1"), {
      httpTokens: "required",
      httpTokensEnforced: "enabled",
      managedBy: "account",
    });
    assert.equal(service.modify(ACCOUNT, "us-east-1", { httpTokens: "optional" }).httpTokens, "optional");
  });
});

test("AccountDefaultsService: a policy survives a restart of the store", () => {
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-defaults-"));
  try {
    const path = join(dir, "state.db");
    const first = new StateStore({ path });
    new AccountDefaultsService(first).setDeclarativePolicy(ACCOUNT, "us-east-1", LOCKING_POLICY);
    first.close();
    const second = new StateStore({ path });
    try {
      assert.equal(new AccountDefaultsService(second).get(ACCOUNT, "us-east-1").managedBy, "declarative-policy");
    } finally {
      second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
