import CSQLite

extension SchemaMigrator {
  /// Page cache while adopting a file (KiB, as `PRAGMA cache_size` takes a negative number),
  /// given back after. With the sorts spilling to files next to the database (below), the
  /// process peaks at about 160 MB on a 1,000,000-row file (16 MiB: 31 s; 32 MiB: 22 s and
  /// 90 MB; 64 MiB: 18 s and 160 MB; 256 MiB with sorts in memory: 19 s and 710 MB).
  static let adoptionCacheKiB = 65_536

  /// Takes a reference file (version 0 with an `events` table) to ``Schema/adoptedVersion`` in
  /// one transaction, by ``Schema/adoptionSteps``, reporting to `progress`.
  ///
  /// The file is switched from WAL to a rollback journal for the transaction when no other
  /// connection has it open (SQLite refuses the switch otherwise, and the WAL is used): the
  /// pages the migration adds are then written once, where a WAL would write them twice
  /// (1,000,000 rows: 25 s in WAL mode, 19 s with the journal, measured with the sqlite3 shell). A crash mid-way leaves a hot
  /// journal, which the next open rolls back: the file is the reference's again, and the
  /// migration starts over.
  static func adopt(_ db: SQLiteConnection, progress: MigrationProgressHandler?) throws {
    let rows = try db.integer("SELECT count(*) FROM events") ?? 0
    let wasWAL = try db.texts("PRAGMA journal_mode") == ["wal"]
    // Refused (another connection has the file open): the WAL is used, which is slower only.
    if wasWAL { _ = try? db.texts("PRAGMA journal_mode = DELETE") }
    let cache = try db.integer("PRAGMA cache_size") ?? -2000
    try db.execute("PRAGMA cache_size = -\(adoptionCacheKiB)")
    // The big sorts (the tag index, each new index) spill to temporary files instead of
    // memory, in the database's own directory: the volume with room for them (a container's
    // /tmp is often a small tmpfs). No other connection exists yet to be affected.
    let temporaryStore = try db.integer("PRAGMA temp_store") ?? 0
    try db.execute("PRAGMA temp_store = FILE")
    if let slash = db.path.lastIndex(of: "/") {
      bls_sqlite3_set_temp_directory(slash == db.path.startIndex ? "/" : String(db.path[..<slash]))
    }
    // Installed even without a handler: the tag step's SQL calls its row counter.
    let monitor = MigrationMonitor(
      db: db, rowsTotal: rows, stepCount: Schema.adoptionSteps.count, handler: progress ?? { _ in })
    monitor.install()
    defer {
      monitor.uninstall()
      try? db.execute("PRAGMA cache_size = \(cache)")
      try? db.execute("PRAGMA temp_store = \(temporaryStore)")
      bls_sqlite3_set_temp_directory(nil)
      try? db.execute("PRAGMA shrink_memory")
      if wasWAL { _ = try? db.texts("PRAGMA journal_mode = WAL") }
    }
    try db.execute("BEGIN IMMEDIATE")
    do {
      for (index, step) in Schema.adoptionSteps.enumerated() {
        monitor.begin(step: step.title, number: index + 1)
        try db.execute(step.sql)
        if step.countsRows { monitor.endStep() }
        if step.deletesRows { monitor.setTotal(try db.integer("SELECT count(*) FROM events") ?? 0) }
      }
      try db.execute("PRAGMA user_version = \(Schema.adoptedVersion)")
      try db.execute("COMMIT")
    } catch {
      if !db.isAutocommit { try? db.execute("ROLLBACK") }
      try? db.execute("DROP TABLE IF EXISTS temp.bls_adopted")
      throw error
    }
    monitor.finish()
  }
}
