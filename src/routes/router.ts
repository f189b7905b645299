import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { validationError } from "../middleware/errors";

/** A router whose zod validation failures become the contract's 400 with one detail per bad field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error as z.ZodError, result.target);
    },
  });
}

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorBodySchema } } });

/** The error responses every authenticated route can give, for the OpenAPI document. */
export const commonErrors = {
  400: errorResponse("Invalid request: `details` names each bad field"),
  401: errorResponse("Missing, malformed, unknown or revoked key"),
  403: errorResponse("The key lacks the route's scope"),
  429: errorResponse("Rate limited; see Retry-After"),
} as const;

/** What a write of sessions can answer besides commonErrors. */
export const ingestErrors = {
  409: errorResponse("Another request changed the same session at the same time; retry this one"),
  413: errorResponse("The body is over its size limit, or the workspace has numbered its 8,388,607 sessions (nothing stored)"),
} as const;

export const notFoundError = { 404: errorResponse("Not found (or another workspace's)") } as const;
export const errorResponses = { errorResponse };

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const bearerSecurity = [{ apiKey: [] as string[] }];
