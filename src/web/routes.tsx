import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../lib/errors";
import { toApiError } from "../middleware/errors";
import { APP_CSS, APP_JS } from "./assets";
import { pageHeaders } from "./guard";
import { bulkRoutes } from "./handlers/bulk";
import { datasetRoutes } from "./handlers/datasets";
import { exportRoutes } from "./handlers/export";
import { importRoutes } from "./handlers/import";
import { listRoutes } from "./handlers/lists";
import { reviewRoutes } from "./handlers/review";
import { signinRoutes } from "./handlers/signin";
import { MessagePage } from "./layout";

const TITLES: Partial<Record<number, string>> = { 403: "Not allowed", 404: "Not found", 413: "Too large", 429: "Slow down" };

/** Any error of a web page as an HTML page in plain words (the API keeps its JSON envelope). */
export function renderWebError(c: Context<AppEnv>, err: unknown): Response | Promise<Response> {
  const e = toApiError(err);
  if (e.code === "internal") console.error(`[${c.get("requestId") ?? "-"}] web ${c.req.method} ${c.req.path}:`, err instanceof Error ? err.message : String(err));
  const message = e.code === "internal" ? "Something went wrong on our side; try again, and if it keeps happening, tell whoever runs this evalport." : e.message;
  return c.html(<MessagePage title={TITLES[e.status] ?? "Something is wrong"} web={c.get("web")} message={message} />, e.status, e.headers);
}

/** Unknown pages outside /api answer a page a person can read; the API and its tools keep JSON. */
export const isWebPath = (path: string) => !(path === "/api" || path.startsWith("/api/") || path === "/openapi.json" || path === "/health" || path.startsWith("/sync/") || path.startsWith("/admin"));

/** Whether the client asked for a page (a browser's Accept lists text/html); curl, fetch and SDKs get JSON. */
export const wantsHtml = (accept: string | undefined) => accept !== undefined && /\btext\/html\b/i.test(accept);

export const renderWebNotFound = (c: Context<AppEnv>) => renderWebError(c, new ApiError("not_found", `There is no page at ${c.req.path}.`));

/** The web view: one router per page (handlers/), composed here with the assets and the HTML error page. */
export const webRoutes = new Hono<AppEnv>();

webRoutes.onError((err, c) => renderWebError(c, err));

webRoutes.get("/assets/app.css", (c) => c.body(APP_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300" }));
webRoutes.get("/assets/app.js", (c) => c.body(APP_JS, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }));

webRoutes.route("/", signinRoutes);
webRoutes.route("/", listRoutes);
webRoutes.route("/", bulkRoutes);
webRoutes.route("/", reviewRoutes);
webRoutes.route("/", exportRoutes);
webRoutes.route("/", datasetRoutes);
webRoutes.route("/", importRoutes);

export { pageHeaders };
