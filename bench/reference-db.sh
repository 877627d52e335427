#!/usr/bin/env bash
# Writes an events.db in the reference (TypeScript) BLS's format — its `events` table and its
# four indexes, no user_version — with ROWS plausible rows, for measuring how fast BLS adopts
# such a file (`bls-fcgi migrate`, or the first start).
#
# The rows are plausible, not signed: ids, pubkeys and signatures are random hex of the right
# length (signing a million events would take longer than the migration being measured, and
# the migration never verifies a signature). What the migration works on is realistic:
#   - 10,000 authors; kinds 1 (80 %), 7 (8 %), 0 and 3 (3 % and 2 %: replaceable, several
#     versions per author, as the reference kept them), 10002 (2 %), 30023 (5 %: addressable,
#     5 d values per author, so addresses repeat);
#   - tags as JSON.stringify wrote them: e/p/t tags on notes, e/p on reactions, up to 20 p tags
#     on contact lists, r tags on relay lists, d/title/t on articles;
#   - content of 20 to 400 characters; created_at increasing with jitter; received_at after it.
# For import tests with real signatures, use `bls-fcgi export` of a store written by BLS.
#
# Usage: bench/reference-db.sh ROWS PATH      (PATH must not exist; needs the sqlite3 shell)
# Example: bench/reference-db.sh 1000000 /tmp/ref/events.db
set -euo pipefail

if [[ $# -ne 2 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 ROWS PATH" >&2
  exit 2
fi
rows=$1
path=$2
if [[ -e $path ]]; then
  echo "$path exists; refusing to overwrite it" >&2
  exit 1
fi
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }

start=$(date +%s)
sqlite3 "$path" >/dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY;
-- The reference's table (packages/bls, storage/SqliteEventStore); indexes come after the rows.
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY, pubkey TEXT NOT NULL, kind INTEGER NOT NULL, content TEXT NOT NULL,
  tags TEXT NOT NULL, created_at INTEGER NOT NULL, sig TEXT NOT NULL, received_at INTEGER NOT NULL);

CREATE TEMP TABLE authors (n INTEGER PRIMARY KEY, pubkey TEXT NOT NULL);
WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 9999)
INSERT INTO temp.authors SELECT n, lower(hex(randomblob(32))) FROM c;

CREATE TEMP TABLE words (n INTEGER PRIMARY KEY, w TEXT NOT NULL);
INSERT INTO temp.words (n, w) VALUES
  (0, 'nostr'), (1, 'bitcoin'), (2, 'zap'), (3, 'relay'), (4, 'gm'), (5, 'interledger'),
  (6, 'payment'), (7, 'art'), (8, 'music'), (9, 'news');

BEGIN;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $rows),
r AS MATERIALIZED (
  -- Materialized, so each random() is drawn once per row, not once per use.
  SELECT n,
    abs(random()) % 100 AS k,
    abs(random()) % 10000 AS a,
    abs(random()) % 10000 AS o,
    lower(hex(randomblob(32))) AS ref,
    abs(random()) % 4 AS ntags,
    1700000000 + n * 3 + abs(random()) % 60 AS at,
    abs(random()) % 10 AS w
  FROM c
),
e AS (
  SELECT r.n AS n, A.pubkey AS author, at,
    CASE WHEN k < 80 THEN 1 WHEN k < 88 THEN 7 WHEN k < 91 THEN 0 WHEN k < 93 THEN 3
         WHEN k < 95 THEN 10002 ELSE 30023 END AS kind,
    CASE
      WHEN k < 80 THEN json_array(
        CASE WHEN ntags >= 1 THEN json_array('e', ref, '', 'root') END,
        CASE WHEN ntags >= 2 THEN json_array('p', O.pubkey) END,
        CASE WHEN ntags >= 3 THEN json_array('t', W.w) END)
      WHEN k < 88 THEN json_array(json_array('e', ref), json_array('p', O.pubkey))
      WHEN k < 91 THEN '[]'
      WHEN k < 93 THEN (SELECT json_group_array(json_array('p', pubkey)) FROM temp.authors
                        WHERE n BETWEEN abs(ntags * 1000 + at % 997) AND abs(ntags * 1000 + at % 997) + 19)
      WHEN k < 95 THEN json_array(json_array('r', 'wss://relay' || (at % 50) || '.example.com'),
                                  json_array('r', 'wss://' || W.w || '.example.org', 'read'))
      ELSE json_array(json_array('d', 'article-' || (at % 5)), json_array('title', 'On ' || W.w),
                      json_array('t', W.w))
    END AS tags,
    CASE
      WHEN k < 91 AND k >= 88 THEN json_object('name', W.w || r.n, 'about', 'a ' || W.w || ' fan')
      WHEN k < 95 AND k >= 91 THEN ''
      ELSE substr(replace(hex(randomblob(200)), 'A', ' '), 1, 20 + abs(random()) % 381)
    END AS content
  FROM r JOIN temp.authors AS A ON A.n = r.a JOIN temp.authors AS O ON O.n = r.o
    JOIN temp.words AS W ON W.n = r.w
)
INSERT INTO events (id, pubkey, kind, content, tags, created_at, sig, received_at)
  SELECT lower(hex(randomblob(32))), author, kind, content,
    -- json_array writes NULL for the absent tags; JSON.stringify never wrote them.
    replace(replace(replace(tags, ',null', ''), '[null,', '['), '[null]', '[]'),
    at, lower(hex(randomblob(64))), at + abs(random()) % 5
  FROM e;
COMMIT;

CREATE INDEX IF NOT EXISTS idx_events_pubkey ON events(pubkey);
CREATE INDEX IF NOT EXISTS idx_events_kind ON events(kind);
CREATE INDEX IF NOT EXISTS idx_events_created_at ON events(created_at);
CREATE INDEX IF NOT EXISTS idx_events_pubkey_kind ON events(pubkey, kind);
PRAGMA journal_mode = DELETE;
SQL

count=$(sqlite3 "$path" "SELECT count(*) FROM events")
bytes=$(stat -c %s "$path")
echo "wrote $path: $count rows, $bytes bytes, in $(($(date +%s) - start)) s"
