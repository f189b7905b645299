-- Frozen datasets (issue 13): which sessions, how many of their messages and which labels an export holds, so an
-- evaluation can be re-run later on exactly the same data. A frozen row copies the session columns the export
-- shows; the messages stay in `messages` and a dataset reads only the first `message_count` of them. A session's
-- rows go with it when it is deleted (deletion is the owner's right), and a dataset's rows go with the dataset.
CREATE TABLE `datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`filters` text NOT NULL,
	`session_count` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `datasets_workspace_created` ON `datasets` (`workspace_id`,`created_at`,`id`);
--> statement-breakpoint
CREATE TABLE `dataset_sessions` (
	`dataset_id` text NOT NULL REFERENCES `datasets`(`id`) ON DELETE CASCADE,
	`export_key` text NOT NULL,
	`session_id` text NOT NULL REFERENCES `sessions`(`id`) ON DELETE CASCADE,
	`workspace_id` text NOT NULL,
	`message_count` integer NOT NULL,
	`content_bytes` integer NOT NULL,
	`external_id` text NOT NULL,
	`title` text,
	`source` text,
	`model` text,
	`total_tokens` integer,
	`cost` real,
	`eval_status` text NOT NULL,
	`eval_tags` text NOT NULL,
	`eval_notes` text,
	`expected_output` text,
	`git_branch` text,
	`git_commit` text,
	`git_remote` text,
	`parent_external_id` text,
	PRIMARY KEY (`dataset_id`, `export_key`)
);
--> statement-breakpoint
-- A session's delete finds its frozen rows through this index (the cascade), and `after` finds its position.
CREATE INDEX `dataset_sessions_session` ON `dataset_sessions` (`session_id`);
