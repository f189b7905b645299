/** Starts one throwaway `wrangler dev` for all browser tests and stops it (its whole process group) at the end. */
import type { TestProject } from "vitest/node";
import { startDevServer, type DevServer } from "../scripts/lib/dev-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    adminToken: string;
  }
}

let server: DevServer | undefined;

export async function setup(project: TestProject) {
  server = await startDevServer({ name: "e2e", echo: process.env.E2E_ECHO === "1" });
  project.provide("baseURL", server.url);
  project.provide("adminToken", server.adminToken);
}

export async function teardown() {
  await server?.stop();
}
