import type { TestProject } from "vitest/node";
import { startPostgres } from "./helpers/postgres-server.ts";

/**
 * One real PostgreSQL for the whole test run; each test that needs it creates a database of its own
 * (test/helpers/databases.ts).
 */
declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startPostgres();
  project.provide("postgresUrl", server.url);
  return server.stop;
}
