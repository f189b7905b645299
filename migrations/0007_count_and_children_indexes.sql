-- A session's children in start order (the review page's family line): with created_at and id in the partial index,
-- the planner seeks (workspace, parent) and reads them in order; without, it preferred walking the whole workspace
-- by created_at for the ORDER BY, testing each session's parent (~90 ms per review page at 100,000 sessions).
DROP INDEX `sessions_workspace_parent`;--> statement-breakpoint
CREATE INDEX `sessions_workspace_parent_created` ON `sessions` (`workspace_id`,`parent_external_id`,`created_at`,`id`) WHERE parent_external_id IS NOT NULL;--> statement-breakpoint
-- Counts of eval-ready sessions by status and by reviewed — the Evals chart's per-status bars of a reviewed (or not
-- yet reviewed) view and its reviewed= totals — from index entries alone. The 0004 index on (reviewed_at IS NOT NULL)
-- cannot give the expression back (the runtime's SQLite reads the row for it), so a reviewed chart looked up every
-- eval-ready session's row (~100,000 at 100,000 sessions); here reviewed_at is a plain column. Partial (eval-ready
-- sessions only): a view of the whole workspace (GET /api/sessions?reviewed=false) cannot pick it and keeps 0004's.
CREATE INDEX `sessions_ready_workspace_status_reviewed` ON `sessions` (`workspace_id`,`eval_status`,`reviewed_at`) WHERE eval_ready = 1;
