CREATE INDEX `profiles_name_key` ON `profiles` (`team_id`,`kind`,lower("name"));--> statement-breakpoint
CREATE INDEX `qbo_list_items_name_key` ON `qbo_list_items` (`team_id`,`entity`,lower("name"));--> statement-breakpoint
CREATE INDEX `qbo_list_items_full_name_key` ON `qbo_list_items` (`team_id`,`entity`,lower("full_name"));--> statement-breakpoint
-- Word-prefix search for the pickers. Contentless FTS5 (the rows stay in their own tables); `scope` is one token
-- naming the workspace and the list (hex(team_id) || 'x' || entity or kind), so a search never walks another
-- workspace's rows. rowid = the source row's rowid; triggers keep the index in step with every write.
CREATE VIRTUAL TABLE `qbo_list_items_fts` USING fts5(scope, words, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');--> statement-breakpoint
CREATE TRIGGER `qbo_list_items_fts_ai` AFTER INSERT ON `qbo_list_items` BEGIN
  INSERT INTO qbo_list_items_fts(rowid, scope, words) VALUES (new.rowid, lower(hex(new.team_id)) || 'x' || lower(new.entity), new.full_name || ' ' || new.name);
END;--> statement-breakpoint
CREATE TRIGGER `qbo_list_items_fts_ad` AFTER DELETE ON `qbo_list_items` BEGIN
  DELETE FROM qbo_list_items_fts WHERE rowid = old.rowid;
END;--> statement-breakpoint
CREATE TRIGGER `qbo_list_items_fts_au` AFTER UPDATE OF team_id, entity, name, full_name ON `qbo_list_items` BEGIN
  DELETE FROM qbo_list_items_fts WHERE rowid = old.rowid;
  INSERT INTO qbo_list_items_fts(rowid, scope, words) VALUES (new.rowid, lower(hex(new.team_id)) || 'x' || lower(new.entity), new.full_name || ' ' || new.name);
END;--> statement-breakpoint
INSERT INTO qbo_list_items_fts(rowid, scope, words) SELECT rowid, lower(hex(team_id)) || 'x' || lower(entity), full_name || ' ' || name FROM qbo_list_items;--> statement-breakpoint
CREATE VIRTUAL TABLE `profiles_fts` USING fts5(scope, words, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');--> statement-breakpoint
CREATE TRIGGER `profiles_fts_ai` AFTER INSERT ON `profiles` BEGIN
  INSERT INTO profiles_fts(rowid, scope, words) VALUES (new.id, lower(hex(new.team_id)) || 'x' || replace(new.kind, '_', ''), new.name);
END;--> statement-breakpoint
CREATE TRIGGER `profiles_fts_ad` AFTER DELETE ON `profiles` BEGIN
  DELETE FROM profiles_fts WHERE rowid = old.id;
END;--> statement-breakpoint
CREATE TRIGGER `profiles_fts_au` AFTER UPDATE OF team_id, kind, name ON `profiles` BEGIN
  DELETE FROM profiles_fts WHERE rowid = old.id;
  INSERT INTO profiles_fts(rowid, scope, words) VALUES (new.id, lower(hex(new.team_id)) || 'x' || replace(new.kind, '_', ''), new.name);
END;--> statement-breakpoint
INSERT INTO profiles_fts(rowid, scope, words) SELECT id, lower(hex(team_id)) || 'x' || replace(kind, '_', ''), name FROM profiles;
