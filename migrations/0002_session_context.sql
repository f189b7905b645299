-- Coding context of a session (git, the session that started it), who labelled it last, and its stored size.
ALTER TABLE `sessions` ADD `git_branch` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `git_commit` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `git_remote` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `parent_external_id` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `reviewed_by` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `content_bytes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `sessions_workspace_parent` ON `sessions` (`workspace_id`,`parent_external_id`) WHERE parent_external_id IS NOT NULL;--> statement-breakpoint
-- A message's stored size, and an index that answers "did this write change a message of the session" and the
-- session's byte total without reading message bodies.
ALTER TABLE `messages` ADD `bytes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `messages` SET `bytes` = length(CAST(`content` AS BLOB)) + coalesce(length(CAST(`tool_calls` AS BLOB)), 0) + coalesce(length(CAST(`reasoning` AS BLOB)), 0);--> statement-breakpoint
CREATE INDEX `messages_session_write` ON `messages` (`session_id`,`write_id`,`bytes`);--> statement-breakpoint
UPDATE `sessions` SET `content_bytes` = (SELECT coalesce(sum(`bytes`), 0) FROM `messages` WHERE `messages`.`session_id` = `sessions`.`id`);
