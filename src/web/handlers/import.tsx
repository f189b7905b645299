import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { IMPORT_FORMATS, type ImportFormat } from "../../importers";
import { importTranscript } from "../../importers/import-body";
import { ApiError } from "../../lib/errors";
import { toApiError } from "../../middleware/errors";
import { csrfHeader, limitWebBody, signedIn, WEB_BODY_LIMITS, type C } from "../guard";

/**
 * The Sessions page's upload: the same parsers and the same writer as POST /api/import (src/importers), fed
 * with the signed-in browser's workspace instead of a key; CSRF by header, since the body is the raw file.
 */
async function importUpload(c: C) {
  try {
    await csrfHeader(c, c.var.web.csrf);
    const format = c.req.query("format") ?? "";
    if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new ApiError("invalid_request", "Pick the tool that wrote the file: Claude Code, Codex or OpenCode.");
    const { status, body } = await importTranscript({
      format: format as ImportFormat,
      body: c.req.raw.body,
      contentLength: c.req.header("content-length"),
      db: c.var.db,
      workspaceId: c.var.web.workspace,
    });
    return c.json(body, status);
  } catch (err) {
    // The page's script shows this message beside the file; the API's envelope keeps it machine-readable.
    const e = toApiError(err);
    return c.json(e.toBody(), e.status, e.headers);
  }
}

/** POST /import?format=… — the upload behind "Import transcripts" on the Sessions page. */
export const importRoutes = new Hono<AppEnv>();

importRoutes.post("/import", limitWebBody(WEB_BODY_LIMITS.upload), signedIn("sessions:write"), importUpload);
