-- Community names are compared case-insensitively by a Unicode-folded key (Python's
-- str.casefold(), written by the store), not COLLATE NOCASE, which folds ASCII only: two
-- communities whose Armenian or Cyrillic names differ only in case were both accepted.
-- The keys of existing rows are filled in by the migration runner in this same transaction.
ALTER TABLE communities ADD COLUMN name_key TEXT;
CREATE UNIQUE INDEX communities_name_key ON communities (guild_id, name_key);
