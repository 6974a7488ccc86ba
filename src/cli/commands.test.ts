import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMANDS } from "./commands.ts";
import { requestedCommand } from "./main.ts";

describe("cli commands", () => {
  it("commands: every listed command loads a command of that name whose description is the listed summary", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name(), entry.name);
      assert.equal(command.description(), entry.summary, `the summary of ${entry.name} in commands.ts is its description`);
    }
  });

  it("commands: names are unique", () => {
    assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length);
  });

  it("main: the requested command is the first word, or the word after help", () => {
    assert.equal(requestedCommand(["serve", "--imds-port", "0"]), "serve");
    assert.equal(requestedCommand(["--verbose", "audit", "--region", "us-east-1"]), "audit");
    assert.equal(requestedCommand(["help", "resolve"]), "resolve");
    assert.equal(requestedCommand(["help"]), undefined);
    assert.equal(requestedCommand(["--version"]), undefined);
  });
});
