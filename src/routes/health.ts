import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, jsonResponse } from "./router";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Other"],
  summary: "Liveness (no auth)",
  responses: { 200: jsonResponse(z.object({ status: z.literal("ok") }), "Up") },
});

export const healthRoutes = createRouter().openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));
