CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_workspace_created` ON `api_keys` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`workspace_id` text NOT NULL,
	`external_id` text,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`tool_calls` text,
	`tool_call_id` text,
	`tool_name` text,
	`reasoning` text,
	`model` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`created_at` integer,
	`write_id` text,
	PRIMARY KEY(`session_id`, `seq`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "messages_role_check" CHECK(role IN ('system', 'user', 'assistant', 'tool'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_session_external` ON `messages` (`session_id`,`external_id`) WHERE external_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `session_tags` (
	`workspace_id` text NOT NULL,
	`tag` text NOT NULL,
	`session_id` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `tag`, `session_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_tags_session` ON `session_tags` (`session_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`external_id` text NOT NULL,
	`title` text,
	`source` text,
	`model` text,
	`provider` text,
	`project_path` text,
	`project_name` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`cache_read_tokens` integer,
	`cache_write_tokens` integer,
	`total_tokens` integer,
	`cost` real,
	`duration_ms` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	`message_count` integer DEFAULT 0 NOT NULL,
	`eval_ready` integer DEFAULT false NOT NULL,
	`eval_status` text DEFAULT 'needs_review' NOT NULL,
	`eval_notes` text,
	`eval_tags` text DEFAULT '[]' NOT NULL,
	`expected_output` text,
	`reviewed_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`write_id` text,
	CONSTRAINT "sessions_eval_status_check" CHECK(eval_status IN ('golden', 'correct', 'incorrect', 'needs_review'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_workspace_external` ON `sessions` (`workspace_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_created` ON `sessions` (`workspace_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_ready_created` ON `sessions` (`workspace_id`,`eval_ready`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_ready_status_created` ON `sessions` (`workspace_id`,`eval_ready`,`eval_status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_source_created` ON `sessions` (`workspace_id`,`source`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_workspace_model_created` ON `sessions` (`workspace_id`,`model`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `webhooks_workspace_created` ON `webhooks` (`workspace_id`,`created_at`);