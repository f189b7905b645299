-- Full-text search (`q` on the lists): titles and message content. Both FTS5 indexes hold only tokens, never a
-- second copy of the text. A title's FTS rowid is its session's rowid (external content on `sessions`); a
-- message's is `session rowid * 2^20 + seq` (contentless), so a match names its session by arithmetic, with no
-- join through 2 million message rows (messages past the 1,048,576th of a session are not indexed). Triggers keep
-- both in step with every write path (ingest, sync, import) and skip empty content and rewrites that leave the
-- text as it was, so an identical resend costs no index work. unicode61 folds case and (with 2) diacritics.
CREATE VIRTUAL TABLE `session_title_fts` USING fts5(`title`, content='sessions', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
CREATE VIRTUAL TABLE `message_content_fts` USING fts5(`content`, content='', tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
CREATE TRIGGER `sessions_fts_insert` AFTER INSERT ON `sessions` WHEN NEW.`title` IS NOT NULL AND NEW.`title` != '' BEGIN
  INSERT INTO `session_title_fts` (rowid, `title`) VALUES (NEW.rowid, NEW.`title`);
END;--> statement-breakpoint
CREATE TRIGGER `sessions_fts_delete` AFTER DELETE ON `sessions` WHEN OLD.`title` IS NOT NULL AND OLD.`title` != '' BEGIN
  INSERT INTO `session_title_fts` (`session_title_fts`, rowid, `title`) VALUES ('delete', OLD.rowid, OLD.`title`);
END;--> statement-breakpoint
CREATE TRIGGER `sessions_fts_update` AFTER UPDATE OF `title` ON `sessions` WHEN OLD.`title` IS NOT NEW.`title` BEGIN
  INSERT INTO `session_title_fts` (`session_title_fts`, rowid, `title`) SELECT 'delete', OLD.rowid, OLD.`title` WHERE OLD.`title` IS NOT NULL AND OLD.`title` != '';
  INSERT INTO `session_title_fts` (rowid, `title`) SELECT NEW.rowid, NEW.`title` WHERE NEW.`title` IS NOT NULL AND NEW.`title` != '';
END;--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` WHEN NEW.`content` != '' AND NEW.`seq` < 1048576 BEGIN
  INSERT INTO `message_content_fts` (rowid, `content`)
    SELECT s.rowid * 1048576 + NEW.`seq`, NEW.`content` FROM `sessions` s WHERE s.`id` = NEW.`session_id`;
END;--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` WHEN OLD.`content` != '' AND OLD.`seq` < 1048576 BEGIN
  INSERT INTO `message_content_fts` (`message_content_fts`, rowid, `content`)
    SELECT 'delete', s.rowid * 1048576 + OLD.`seq`, OLD.`content` FROM `sessions` s WHERE s.`id` = OLD.`session_id`;
END;--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` AFTER UPDATE OF `content` ON `messages` WHEN OLD.`content` IS NOT NEW.`content` AND NEW.`seq` < 1048576 BEGIN
  INSERT INTO `message_content_fts` (`message_content_fts`, rowid, `content`)
    SELECT 'delete', s.rowid * 1048576 + OLD.`seq`, OLD.`content` FROM `sessions` s WHERE s.`id` = OLD.`session_id` AND OLD.`content` != '';
  INSERT INTO `message_content_fts` (rowid, `content`)
    SELECT s.rowid * 1048576 + NEW.`seq`, NEW.`content` FROM `sessions` s WHERE s.`id` = NEW.`session_id` AND NEW.`content` != '';
END;--> statement-breakpoint
-- A session deleted before its messages (ON DELETE CASCADE) takes its messages' index entries with it while its
-- rowid is still known; the message trigger above then finds no session and does nothing.
CREATE TRIGGER `sessions_fts_delete_messages` BEFORE DELETE ON `sessions` BEGIN
  INSERT INTO `message_content_fts` (`message_content_fts`, rowid, `content`)
    SELECT 'delete', OLD.rowid * 1048576 + m.`seq`, m.`content` FROM `messages` m
    WHERE m.`session_id` = OLD.`id` AND m.`content` != '' AND m.`seq` < 1048576;
END;--> statement-breakpoint
-- Rows stored before this migration.
INSERT INTO `session_title_fts` (rowid, `title`) SELECT rowid, `title` FROM `sessions` WHERE `title` IS NOT NULL AND `title` != '';--> statement-breakpoint
INSERT INTO `message_content_fts` (rowid, `content`)
  SELECT s.rowid * 1048576 + m.`seq`, m.`content` FROM `messages` m JOIN `sessions` s ON s.`id` = m.`session_id`
  WHERE m.`content` != '' AND m.`seq` < 1048576;--> statement-breakpoint
-- "Not yet reviewed" and its count without reading every session row.
CREATE INDEX `sessions_workspace_reviewed_created` ON `sessions` (`workspace_id`, (`reviewed_at` IS NOT NULL), `created_at`, `id`);--> statement-breakpoint
-- Webhook replay memory: a delivery id is claimed by inserting this row in the same D1 transaction as the labels
-- it applies, so of concurrent copies exactly one commits; a cron trigger deletes rows older than 24 hours.
CREATE TABLE `webhook_deliveries` (
	`webhook_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`webhook_id`, `delivery_id`)
);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received` ON `webhook_deliveries` (`received_at`);--> statement-breakpoint
-- Failed admin-token attempts per client address and one-minute window: read before the token is compared, so an
-- address over the limit gets 429 whatever it sends (a right guess is not told apart from a wrong one).
CREATE TABLE `admin_failures` (
	`client` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`failures` integer NOT NULL
);
