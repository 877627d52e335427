/// The layout of issue 14 (event lifecycle) in PostgreSQL: NIP-40 expirations and NIP-09
/// deletions, as BLSStore's `Schema.lifecycle` keeps them in SQLite (docs/contract.md
/// § Storage, "Event lifecycle").
extension PGSchema {
  /// Version 2: three side tables, each searched by its primary key or index, never by
  /// reading tags.
  ///
  /// - `event_expirations` holds the NIP-40 `expiration` of every stored event that has one,
  ///   indexed by time for the sweep (``PGEventWriter/deleteExpired(now:limit:on:)``); its
  ///   rows go with their event (`ON DELETE CASCADE`, SQLite's trigger).
  /// - `event_deletions` holds each `e` tag of each stored kind-5 deletion with the
  ///   deletion's author: an event with that id **and** that author is deleted and may not be
  ///   stored again.
  /// - `address_deletions` holds each own `a` tag's address, keyed like `event_addresses`
  ///   (`d_sha256`), with the latest deleting `created_at`.
  ///
  /// The rows already stored are indexed by ``PGLifecycleBackfill`` in the same transaction.
  static let lifecycle = """
    CREATE TABLE event_expirations (
      event_id text COLLATE "C" PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
      expires_at bigint NOT NULL
    );
    CREATE INDEX event_expirations_due ON event_expirations (expires_at);

    CREATE TABLE event_deletions (
      event_id text COLLATE "C" NOT NULL,
      pubkey text COLLATE "C" NOT NULL,
      deletion_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (event_id, pubkey)
    );

    CREATE TABLE address_deletions (
      pubkey text COLLATE "C" NOT NULL,
      kind integer NOT NULL,
      d_sha256 text COLLATE "C" NOT NULL,
      d text COLLATE "C" NOT NULL,
      deleted_through bigint NOT NULL,
      deletion_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (pubkey, kind, d_sha256)
    );
    """

  /// Largest number of expired events one sweep pass deletes (the SQLite store's bound):
  /// a pass never holds the writer long, and a backlog is worked off pass after pass, between
  /// batches of payments.
  static let expirationSweepLimit = 500

  /// `pg_advisory_xact_lock` key that orders NIP-09 across nodes (the ASCII of "BLSnip9"):
  /// every batch takes it shared, a batch holding a deletion takes it exclusive
  /// (``PGEventWriter``).
  static let deletionLockKey: Int64 = 0x42_4C_53_6E_69_70_39

  /// Longest `e` value recorded in `event_deletions` (a B-tree entry holds about 2.7 kB; an
  /// event id is 64 hex digits, so a longer value names no event BLS stores). The deletion's
  /// `DELETE` still runs for any value.
  static let maxDeletedIDBytes = 1024
}
