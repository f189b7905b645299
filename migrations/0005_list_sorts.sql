-- Sortable list columns (web Sessions / Evals views): one index per sort key, for the whole workspace and for its
-- eval-ready sessions, so a page at any offset is read in index order with no sort of the workspace's rows. Queries
-- must spell the expressions exactly like this (src/sessions/queries.ts `sortExpr`): unknown tokens and cost sort as
-- -1 and an untitled session by its external id, so every key is non-null and (key, id) is a total order.
CREATE INDEX `sessions_workspace_title_sort` ON `sessions` (`workspace_id`, lower(coalesce(nullif(`title`, ''), `external_id`)), `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_messages_sort` ON `sessions` (`workspace_id`, `message_count`, `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_tokens_sort` ON `sessions` (`workspace_id`, coalesce(`total_tokens`, -1), `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_cost_sort` ON `sessions` (`workspace_id`, coalesce(`cost`, -1), `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_ready_title_sort` ON `sessions` (`workspace_id`, `eval_ready`, lower(coalesce(nullif(`title`, ''), `external_id`)), `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_ready_messages_sort` ON `sessions` (`workspace_id`, `eval_ready`, `message_count`, `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_ready_tokens_sort` ON `sessions` (`workspace_id`, `eval_ready`, coalesce(`total_tokens`, -1), `id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_ready_cost_sort` ON `sessions` (`workspace_id`, `eval_ready`, coalesce(`cost`, -1), `id`);
