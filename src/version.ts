import { readFileSync } from "node:fs";

/** paperbot's version, from package.json: shown by /about and sent in the ingest User-Agent. */
export const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
