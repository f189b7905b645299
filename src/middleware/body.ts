import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../lib/errors";
import { LIMITS } from "../lib/limits";
import { loneSurrogatePath } from "../lib/unicode";

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
 * 415 for a request body that is not JSON, 400 for malformed JSON. Listed in a route's middleware after the key
 * check, so an unauthenticated request learns nothing about body parsing, and before the zod validator, which
 * would otherwise read a non-JSON body as an empty object.
 */
export const requireJsonBody = (): MiddlewareHandler => async (c, next) => {
  const method = c.req.method;
  // No body at all (curl -X POST without -d) is not "a body that is not JSON": the route's schema decides, so
  // an optional body such as POST /api/webhooks' {name?} may be left out, and a required one is a 400.
  const empty = !c.req.raw.body || c.req.header("content-length") === "0";
  if ((method === "POST" || method === "PUT" || method === "PATCH") && !(empty && !c.req.header("content-type"))) {
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new ApiError("unsupported_media_type", "The request body must be JSON, sent with Content-Type: application/json.");
    }
    // Parse once here so malformed JSON is a 400 with our message, whatever route handles it; Hono caches it.
    let parsed: unknown;
    try {
      parsed = await c.req.json();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError("invalid_request", "The request body is not valid JSON.", { details: [{ path: "", message: "malformed JSON" }] });
    }
    const bad = loneSurrogatePath(parsed);
    if (bad !== null) {
      throw new ApiError("invalid_request", `Invalid request — ${bad || "body"}: text with a lone UTF-16 surrogate cannot be stored as UTF-8.`, {
        details: [{ path: bad, message: "contains a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape)" }],
      });
    }
  }
  await next();
};
