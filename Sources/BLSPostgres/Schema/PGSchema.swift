import Nostr

/// The PostgreSQL layout and its versions (rows of `bls_schema`).
///
/// The same tables as the SQLite store (BLSStore's `Schema`): the reference's `events` columns,
/// an exact tag index and one row per replaceable or addressable address. Differences, and why:
///
/// - Identifiers, names and values are `COLLATE "C"`: ids order by their bytes (NIP-01's "lowest
///   id" tie-break, and `ORDER BY created_at DESC, id ASC`) whatever the database's locale.
/// - `event_tags` is keyed by an index on `(name, md5(value), created_at)` rather than on the
///   value itself, so a tag value longer than a B-tree entry (≈ 2.7 kB) is still indexed; a
///   query compares the value too, so an MD5 collision cannot make a wrong match. Its rows go
///   with their event (`ON DELETE CASCADE`).
/// - `event_addresses` is keyed by `(pubkey, kind, d_sha256)`, the SHA-256 of `d`'s UTF-8
///   computed by the writer, for the same reason; `d` is kept beside it for people.
/// - U+0000: PostgreSQL's `text` cannot hold it. `tags` is JSON text, where the writer escapes
///   it as `\u0000`; an index value or an address `d` is taken up to its first U+0000, as
///   SQLite's JSON functions read it (docs/contract.md § Storage), so both backends index the
///   same rows. A `content` holding U+0000 is stored in `content` with each U+0000 replaced by
///   U+FFFD (what tools reading the reference's columns see) and, exactly, as a JSON string in
///   `content_json` (`NULL` for every other event), which is what the store reads back.
enum PGSchema {
  /// The version this release writes.
  static let currentVersion = 2

  /// `pg_advisory_lock` key held while migrating, so nodes starting together migrate once
  /// (the ASCII of "BLSschm").
  static let migrationLockKey: Int64 = 0x42_4C_53_73_63_68_6D

  /// The version table, created before anything else.
  static let versionTable = """
    CREATE TABLE IF NOT EXISTS bls_schema (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )
    """

  /// One forward step: its DDL, then, in the same transaction, what must be computed from
  /// the rows already there (in Swift, with the writer's own rules).
  struct Migration: Sendable {
    var sql: String
    var backfill: (@Sendable (PGConnection) throws(PGError) -> Void)? = nil
  }

  /// Forward migrations; `migrations[n]` takes a database from version `n` to `n + 1`.
  static let migrations: [Migration] = [
    Migration(sql: version1),
    Migration(sql: lifecycle, backfill: { db throws(PGError) in try PGLifecycleBackfill.run(on: db) }),
  ]

  static let version1 = """
    CREATE TABLE events (
      id text COLLATE "C" PRIMARY KEY,
      pubkey text COLLATE "C" NOT NULL,
      kind integer NOT NULL,
      content text NOT NULL,
      tags text NOT NULL,
      created_at bigint NOT NULL,
      sig text NOT NULL,
      received_at bigint NOT NULL,
      content_json text
    );
    CREATE INDEX events_created_at ON events (created_at DESC, id);
    CREATE INDEX events_pubkey_kind_created ON events (pubkey, kind, created_at DESC);
    CREATE INDEX events_kind_created ON events (kind, created_at DESC);

    CREATE TABLE event_tags (
      name text COLLATE "C" NOT NULL,
      value text COLLATE "C" NOT NULL,
      created_at bigint NOT NULL,
      event_id text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE
    );
    CREATE INDEX event_tags_lookup ON event_tags (name, md5(value), created_at DESC);
    CREATE INDEX event_tags_event ON event_tags (event_id);

    CREATE TABLE event_addresses (
      pubkey text COLLATE "C" NOT NULL,
      kind integer NOT NULL,
      d_sha256 text COLLATE "C" NOT NULL,
      d text COLLATE "C" NOT NULL,
      event_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (pubkey, kind, d_sha256)
    );
    """

  /// A string as stored in an index column: up to its first U+0000 (see the type's notes).
  static func view(_ text: String) -> Substring {
    guard let nul = text.utf8.firstIndex(of: 0) else { return text[...] }
    return text[..<nul]
  }

  /// The `event_tags` row (name, value) of a tag, or `nil` when the tag gets none: its name
  /// must be one ASCII letter (NIP-01 filters `#a`–`#z`, `#A`–`#Z`) and it must have a value.
  static func indexedRow(_ tag: [String]) -> (name: Substring, value: Substring)? {
    guard tag.count >= 2 else { return nil }
    let name = view(tag[0])
    guard name.utf8.count == 1, let letter = name.utf8.first, isLetter(letter) else { return nil }
    return (name, view(tag[1]))
  }

  /// `true` for one ASCII letter.
  static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }

  /// The `d` of an event's address: for an addressable kind the value of its first tag whose
  /// name reads `d` (``view(_:)``), `""` without one; `""` for replaceable kinds.
  static func addressD(of event: NostrEvent) -> String {
    guard event.kindClass == .addressable else { return "" }
    for tag in event.tags where !tag.isEmpty && view(tag[0]) == "d" {
      return tag.count > 1 ? String(view(tag[1])) : ""
    }
    return ""
  }
}
