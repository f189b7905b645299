import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { createDb } from "./db/client";
import { ApiError } from "./lib/errors";
import { limitBody } from "./middleware/body";
import { renderError } from "./middleware/errors";
import { adminRoutes } from "./routes/admin";
import { healthRoutes } from "./routes/health";
import { importRoutes } from "./routes/import";
import { createRouter } from "./routes/router";
import { evalRoutes } from "./routes/evals";
import { exportRoutes } from "./routes/export";
import { datasetRoutes } from "./routes/datasets";
import { sessionRoutes } from "./routes/sessions";
import { syncRoutes } from "./routes/sync";
import { webhookRoutes } from "./routes/webhooks";
import { isWebPath, renderWebNotFound, wantsHtml, webRoutes } from "./web/routes";

/** The whole Worker: middleware in contract order, then one router per feature, errors rendered in one place. */
export function createApp() {
  const app = createRouter();

  app.use(requestId({ generator: () => crypto.randomUUID() }));
  app.use(async (c, next) => {
    c.set("db", createDb(c.env.DB));
    await next();
  });
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, allowed) =>
        renderError(
          c,
          new ApiError("method_not_allowed", `${c.req.method} is not allowed here; use ${allowed.join(", ")}.`, {
            headers: { Allow: allowed.join(", ") },
          }),
        ),
    }),
  );
  // Oversized bodies are refused before anything reads them; the JSON check runs per route, after the key check.
  // POST /api/import streams its file with its own 100 MiB limit, counted as the bytes arrive.
  const limit = limitBody();
  app.use("/api/*", (c, next) => (c.req.path === "/api/import" ? next() : limit(c, next)));
  app.use("/sync/*", limitBody());

  app.route("/", healthRoutes);
  app.route("/", adminRoutes);
  app.route("/", sessionRoutes);
  app.route("/", importRoutes);
  app.route("/", syncRoutes);
  app.route("/", evalRoutes);
  app.route("/", webhookRoutes);
  app.route("/", exportRoutes);
  app.route("/", datasetRoutes);
  app.route("/", webRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `Authorization: Bearer osk_…`",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The Worker's ADMIN_TOKEN secret",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "evalport",
      version: "0.1.0",
      description: "Turn AI coding-assistant sessions into evaluation datasets.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));

  // A browser (Accept: text/html) opening a page that does not exist gets an HTML page; every other client, and
  // every path under /api, /sync and /openapi.json, keeps the JSON error envelope of the contract.
  app.notFound((c) =>
    isWebPath(c.req.path) && wantsHtml(c.req.header("accept"))
      ? renderWebNotFound(c)
      : renderError(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`)),
  );
  app.onError((err, c) => renderError(c, err));
  return app;
}

export type App = ReturnType<typeof createApp>;
