import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { matchedRoutes } from "hono/route";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";

/** 413 for bodies over 10 MiB, whether announced by Content-Length or streamed without one. */
export const limitBody = (): MiddlewareHandler =>
  bodyLimit({
    maxSize: LIMITS.bodyBytes,
    onError: () => {
      throw new ApiError("payload_too_large", `The request body is larger than ${LIMITS.bodyBytes} bytes (10 MiB).`);
    },
  });

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;

/**
 * Whether a route (not just a path-wide middleware, which Hono records as method ALL) answers this method at
 * this path. Without one the request ends as 404 or 405, and its body must not turn that into a 415 or 400.
 */
const routeHandlesMethod = (c: Context) => matchedRoutes(c).some((r) => r.method === c.req.method);

/** 415 for a request body that is not JSON, before any validator would read it as an empty object. */
export const requireJsonBody = (): MiddlewareHandler => async (c, next) => {
  const method = c.req.method;
  if ((method === "POST" || method === "PUT" || method === "PATCH") && routeHandlesMethod(c)) {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new ApiError("unsupported_media_type", "The request body must be JSON, sent with Content-Type: application/json.");
    }
    // Parse once here so malformed JSON is a 400 with our message, whatever route handles it; Hono caches it.
    try {
      await c.req.json();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError("invalid_request", "The request body is not valid JSON.", { details: [{ path: "", message: "malformed JSON" }] });
    }
  }
  await next();
};
