#!/usr/bin/env node
// The `evalport` command (package.json "bin"): plain ESM, no build step. See cli/main.js.
import { main } from "../cli/main.js";

await main(process.argv);
