#!/usr/bin/env node
// The `paperbot` CLI runs the TypeScript sources directly through tsx: no build step to remember.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
