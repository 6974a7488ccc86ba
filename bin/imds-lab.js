#!/usr/bin/env node
// Entry point of the `imds-lab` command. The TypeScript sources are loaded through tsx, so
// neither a newcomer nor CI has to run a build step first.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main(process.argv);
