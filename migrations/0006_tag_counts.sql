-- The Evals chart's per-tag counts without a session lookup per tag row: each session_tags row carries its
-- session's eval_ready, eval_status and whether it was reviewed (reviewed_at set), kept equal to the session's by
-- the triggers below (every write path — ingest, labels, bulk labels, webhooks, undo — goes through them, none has
-- to remember it), and one covering index answers "tags of the eval-ready sessions, optionally of some statuses,
-- reviewed or not" by walking index entries only. A view with other filters counts the tags of its sessions from
-- (session_id, workspace_id, tag), which replaces the (session_id) index: covering.
ALTER TABLE `session_tags` ADD `eval_ready` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session_tags` ADD `eval_status` text DEFAULT 'needs_review' NOT NULL;--> statement-breakpoint
ALTER TABLE `session_tags` ADD `reviewed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `session_tags` SET
  `eval_ready` = (SELECT `eval_ready` FROM `sessions` WHERE `sessions`.`id` = `session_tags`.`session_id`),
  `eval_status` = (SELECT `eval_status` FROM `sessions` WHERE `sessions`.`id` = `session_tags`.`session_id`),
  `reviewed` = (SELECT `reviewed_at` IS NOT NULL FROM `sessions` WHERE `sessions`.`id` = `session_tags`.`session_id`);--> statement-breakpoint
-- A tag row takes its session's values when it is written (the session row always exists first: foreign key). The
-- code's inserts give the values already (ingest, labels), so the trigger only reads then; it writes for one that
-- did not (undo rewrites tags before the session row, whose update trigger follows).
CREATE TRIGGER `session_tags_eval_insert` AFTER INSERT ON `session_tags`
WHEN NEW.`eval_ready` IS NOT (SELECT `eval_ready` FROM `sessions` WHERE `id` = NEW.`session_id`)
  OR NEW.`eval_status` IS NOT (SELECT `eval_status` FROM `sessions` WHERE `id` = NEW.`session_id`)
  OR NEW.`reviewed` IS NOT (SELECT `reviewed_at` IS NOT NULL FROM `sessions` WHERE `id` = NEW.`session_id`) BEGIN
  UPDATE `session_tags` SET
    `eval_ready` = (SELECT `eval_ready` FROM `sessions` WHERE `id` = NEW.`session_id`),
    `eval_status` = (SELECT `eval_status` FROM `sessions` WHERE `id` = NEW.`session_id`),
    `reviewed` = (SELECT `reviewed_at` IS NOT NULL FROM `sessions` WHERE `id` = NEW.`session_id`)
  WHERE `rowid` = NEW.`rowid`;
END;--> statement-breakpoint
-- And follows them when they change.
CREATE TRIGGER `sessions_tags_eval_update` AFTER UPDATE OF `eval_ready`, `eval_status`, `reviewed_at` ON `sessions`
WHEN OLD.`eval_ready` IS NOT NEW.`eval_ready` OR OLD.`eval_status` IS NOT NEW.`eval_status`
  OR (OLD.`reviewed_at` IS NULL) IS NOT (NEW.`reviewed_at` IS NULL) BEGIN
  UPDATE `session_tags` SET `eval_ready` = NEW.`eval_ready`, `eval_status` = NEW.`eval_status`, `reviewed` = NEW.`reviewed_at` IS NOT NULL
  WHERE `session_id` = NEW.`id`;
END;--> statement-breakpoint
CREATE INDEX `session_tags_workspace_ready_tag` ON `session_tags` (`workspace_id`, `eval_ready`, `tag`, `eval_status`, `reviewed`);--> statement-breakpoint
DROP INDEX `session_tags_session`;--> statement-breakpoint
CREATE INDEX `session_tags_session_tag` ON `session_tags` (`session_id`, `workspace_id`, `tag`);
