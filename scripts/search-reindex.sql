-- Rebuilds full-text search from the stored sessions and messages: numbers each workspace that has none, moves
-- every session into its workspace's rowid range (keeping their order) and re-indexes every title and message
-- (migration 0008 explains the layout). Needed after `wrangler d1 import` of a dump (a dump does not keep rowids);
-- safe to run at any time (it only rewrites the index):
--   wrangler d1 execute DB --remote --file scripts/search-reindex.sql
CREATE VIRTUAL TABLE IF NOT EXISTS `session_text_fts` USING fts5(`text`, content='', tokenize='unicode61 remove_diacritics 2');
INSERT INTO `session_text_fts` (`session_text_fts`) VALUES ('delete-all');
INSERT INTO `workspace_numbers` (`workspace_id`)
  SELECT `workspace_id` FROM `sessions` GROUP BY `workspace_id` ORDER BY min(rowid) ON CONFLICT DO NOTHING;
-- Two steps, so that no move lands on a rowid still in use whatever the rowids are now: all to negatives, then
-- each into its range (order kept: the most negative was the largest).
UPDATE `sessions` SET rowid = -rowid WHERE rowid > 0;
UPDATE `sessions` SET rowid = r.`new_rowid`
  FROM (SELECT s.rowid AS `old_rowid`,
          (w.`n` << 23) + row_number() OVER (PARTITION BY s.`workspace_id` ORDER BY s.rowid DESC) AS `new_rowid`
        FROM `sessions` s JOIN `workspace_numbers` w ON w.`workspace_id` = s.`workspace_id`) AS r
  WHERE `sessions`.rowid = r.`old_rowid`;
INSERT INTO `session_text_fts` (rowid, `text`)
  SELECT rowid * 1048576 + 1048575, `title` FROM `sessions` WHERE `title` IS NOT NULL AND `title` != '';
INSERT INTO `session_text_fts` (rowid, `text`)
  SELECT s.rowid * 1048576 + m.`seq`, m.`content` FROM `messages` m JOIN `sessions` s ON s.`id` = m.`session_id`
  WHERE m.`content` != '' AND m.`seq` < 1048575;
