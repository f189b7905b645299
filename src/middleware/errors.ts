import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { ApiError, type ErrorDetail } from "../lib/errors";

/** Dotted path with array indexes, as the contract shows: `sessions.3.messages.0.role`. */
export function zodDetails(err: ZodError): ErrorDetail[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

export function validationError(err: ZodError, where?: string): ApiError {
  const details = zodDetails(err);
  const first = details[0];
  const summary = first ? `${first.path || where || "body"}: ${first.message}` : "invalid input";
  return new ApiError("invalid_request", `Invalid request — ${summary}${details.length > 1 ? ` (and ${details.length - 1} more)` : ""}.`, { details });
}

/** Maps anything thrown to the contract's error envelope; the single place errors become responses. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return validationError(err);
  if (err instanceof HTTPException) {
    if (err.status === 400) return new ApiError("invalid_request", err.message || "Malformed request.", { details: [{ path: "", message: err.message || "malformed request" }] });
    if (err.status === 413) return new ApiError("payload_too_large", "The request body is larger than 10 MiB.");
    if (err.status === 415) return new ApiError("unsupported_media_type", "The request body must be JSON, sent with Content-Type: application/json.");
    if (err.status === 401) return new ApiError("unauthorized", "Missing or invalid credentials.");
  }
  return new ApiError("internal", "Something went wrong on our side; the request id identifies it in our logs.");
}

/**
 * What an unexpected error may say in logs: its type and message, but never a failed query's parameters (drizzle
 * puts them in the message), which hold session content and key hashes.
 */
function describeForLog(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if ("params" in err && "query" in err) {
    const cause = err.cause instanceof Error ? err.cause.message : "unknown cause";
    return `${err.name}: query failed (${cause}): ${String(err.query).slice(0, 200)}`;
  }
  return `${err.name}: ${err.message}`;
}

export function renderError(c: Context, err: unknown): Response {
  const apiError = toApiError(err);
  if (apiError.code === "internal") {
    console.error(`[${c.get("requestId") ?? "-"}] ${c.req.method} ${new URL(c.req.url).pathname}: ${describeForLog(err)}`);
  }
  return c.json(apiError.toBody(), apiError.status, apiError.headers);
}
