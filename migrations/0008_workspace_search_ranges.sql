-- Workspace numbers: see the comments below and src/db/schema.ts.
CREATE TABLE `workspace_numbers` (
	`n` integer PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_numbers_workspace_id_unique` ON `workspace_numbers` (`workspace_id`);--> statement-breakpoint
-- Full-text search per workspace. Until now both FTS5 indexes were shared by every workspace: a common word's
-- doclist held every workspace's messages, so a search in a small workspace cost as much as one over the whole
-- database, and a count had to test each session against a set built from all of them.
-- Now each workspace owns one contiguous range of session rowids, n × 2^23 + k (n from workspace_numbers, k from
-- 1 within the workspace; src/sessions/ingest-sql.ts numbers new sessions), and so one range of FTS rowids
-- (session rowid × 2^20 + seq). A search reads only its workspace's range of the index (`rowid BETWEEN`), and a
-- count of a plain search is the number of distinct sessions in the index alone, with no session row read.
-- Titles go into the same index at seq 2^20 − 1 (messages keep seq < 2^20 − 1), so "in the title or in a
-- message" is one lookup per word, not two. The index holds tokens only (contentless), never the text again.
DROP TRIGGER `sessions_fts_insert`;--> statement-breakpoint
DROP TRIGGER `sessions_fts_delete`;--> statement-breakpoint
DROP TRIGGER `sessions_fts_update`;--> statement-breakpoint
DROP TRIGGER `sessions_fts_delete_messages`;--> statement-breakpoint
DROP TRIGGER `messages_fts_insert`;--> statement-breakpoint
DROP TRIGGER `messages_fts_delete`;--> statement-breakpoint
DROP TRIGGER `messages_fts_update`;--> statement-breakpoint
DROP TABLE `session_title_fts`;--> statement-breakpoint
DROP TABLE `message_content_fts`;--> statement-breakpoint
-- Number the workspaces that have sessions (in order of their first session), then move each session into its
-- workspace's range, keeping their order. New rowids start at 2^23 + 1, above any rowid of a database with fewer
-- than 8,388,608 sessions ever stored, so no move lands on a rowid still in use. Nothing else refers to a
-- session's rowid (foreign keys use its id).
INSERT INTO `workspace_numbers` (`workspace_id`)
  SELECT `workspace_id` FROM `sessions` GROUP BY `workspace_id` ORDER BY min(rowid);--> statement-breakpoint
UPDATE `sessions` SET rowid = r.`new_rowid`
  FROM (SELECT s.rowid AS `old_rowid`,
          (w.`n` << 23) + row_number() OVER (PARTITION BY s.`workspace_id` ORDER BY s.rowid) AS `new_rowid`
        FROM `sessions` s JOIN `workspace_numbers` w ON w.`workspace_id` = s.`workspace_id`) AS r
  WHERE `sessions`.rowid = r.`old_rowid`;--> statement-breakpoint
CREATE VIRTUAL TABLE `session_text_fts` USING fts5(`text`, content='', tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
-- Triggers keep the index in step with every write path (ingest, sync, import, label, delete) and skip empty
-- text and rewrites that leave the text as it was, so an identical resend costs no index work.
CREATE TRIGGER `sessions_fts_insert` AFTER INSERT ON `sessions` WHEN NEW.`title` IS NOT NULL AND NEW.`title` != '' BEGIN
  INSERT INTO `session_text_fts` (rowid, `text`) VALUES (NEW.rowid * 1048576 + 1048575, NEW.`title`);
END;--> statement-breakpoint
CREATE TRIGGER `sessions_fts_update` AFTER UPDATE OF `title` ON `sessions` WHEN OLD.`title` IS NOT NEW.`title` BEGIN
  INSERT INTO `session_text_fts` (`session_text_fts`, rowid, `text`)
    SELECT 'delete', OLD.rowid * 1048576 + 1048575, OLD.`title` WHERE OLD.`title` IS NOT NULL AND OLD.`title` != '';
  INSERT INTO `session_text_fts` (rowid, `text`)
    SELECT NEW.rowid * 1048576 + 1048575, NEW.`title` WHERE NEW.`title` IS NOT NULL AND NEW.`title` != '';
END;--> statement-breakpoint
-- A session takes its title's and its messages' entries with it while its rowid is still known (its messages go
-- by ON DELETE CASCADE after it; their trigger then finds no session and does nothing).
CREATE TRIGGER `sessions_fts_delete` BEFORE DELETE ON `sessions` BEGIN
  INSERT INTO `session_text_fts` (`session_text_fts`, rowid, `text`)
    SELECT 'delete', OLD.rowid * 1048576 + 1048575, OLD.`title` WHERE OLD.`title` IS NOT NULL AND OLD.`title` != '';
  INSERT INTO `session_text_fts` (`session_text_fts`, rowid, `text`)
    SELECT 'delete', OLD.rowid * 1048576 + m.`seq`, m.`content` FROM `messages` m
    WHERE m.`session_id` = OLD.`id` AND m.`content` != '' AND m.`seq` < 1048575;
END;--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` WHEN NEW.`content` != '' AND NEW.`seq` < 1048575 BEGIN
  INSERT INTO `session_text_fts` (rowid, `text`)
    SELECT s.rowid * 1048576 + NEW.`seq`, NEW.`content` FROM `sessions` s WHERE s.`id` = NEW.`session_id`;
END;--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` WHEN OLD.`content` != '' AND OLD.`seq` < 1048575 BEGIN
  INSERT INTO `session_text_fts` (`session_text_fts`, rowid, `text`)
    SELECT 'delete', s.rowid * 1048576 + OLD.`seq`, OLD.`content` FROM `sessions` s WHERE s.`id` = OLD.`session_id`;
END;--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` AFTER UPDATE OF `content` ON `messages` WHEN OLD.`content` IS NOT NEW.`content` AND NEW.`seq` < 1048575 BEGIN
  INSERT INTO `session_text_fts` (`session_text_fts`, rowid, `text`)
    SELECT 'delete', s.rowid * 1048576 + OLD.`seq`, OLD.`content` FROM `sessions` s WHERE s.`id` = OLD.`session_id` AND OLD.`content` != '';
  INSERT INTO `session_text_fts` (rowid, `text`)
    SELECT s.rowid * 1048576 + NEW.`seq`, NEW.`content` FROM `sessions` s WHERE s.`id` = NEW.`session_id` AND NEW.`content` != '';
END;--> statement-breakpoint
-- The rows stored before this migration, in their new places.
INSERT INTO `session_text_fts` (rowid, `text`)
  SELECT rowid * 1048576 + 1048575, `title` FROM `sessions` WHERE `title` IS NOT NULL AND `title` != '';--> statement-breakpoint
INSERT INTO `session_text_fts` (rowid, `text`)
  SELECT s.rowid * 1048576 + m.`seq`, m.`content` FROM `messages` m JOIN `sessions` s ON s.`id` = m.`session_id`
  WHERE m.`content` != '' AND m.`seq` < 1048575;
