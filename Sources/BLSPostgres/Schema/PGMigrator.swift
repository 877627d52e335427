/// Brings a database to ``PGSchema/currentVersion`` under a session advisory lock
/// (`pg_advisory_lock`, PostgreSQL § 9.27.10), so of several nodes starting together one
/// migrates and the others find the work done.
enum PGMigrator {
  /// What was found and done.
  struct Report: Equatable {
    var fromVersion: Int
    var toVersion: Int
  }

  /// Migrates through `connection`. A database from a newer release is refused
  /// (``PostgresOpenError`` `schema_too_new`); a missing privilege is `permission`.
  static func migrate(_ connection: PGConnection) throws(PostgresOpenError) -> Report {
    do {
      try connection.query("SELECT pg_advisory_lock($1)", [String(PGSchema.migrationLockKey)])
    } catch {
      throw PostgresOpenError(error, doing: "taking the migration lock")
    }
    defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [String(PGSchema.migrationLockKey)]) }
    let found: Int
    do {
      // Created only when absent: a user with no CREATE right (a database migrated by its
      // owner, BLS connecting with data rights only) must still get past this point.
      let exists = try connection.query("SELECT to_regclass('bls_schema') IS NOT NULL", []).rows.first?.first
      if exists != "t" { try connection.execute(PGSchema.versionTable) }
      let rows = try connection.query("SELECT coalesce(max(version), 0) FROM bls_schema", [])
      found = Int(rows.rows.first?.first.flatMap { $0 } ?? "0") ?? 0
    } catch {
      throw PostgresOpenError(error, doing: "reading bls_schema")
    }
    guard found <= PGSchema.currentVersion else {
      throw PostgresOpenError(
        code: "schema_too_new",
        message:
          "the database's schema is version \(found), newer than this release's \(PGSchema.currentVersion); run a newer BLS or another database"
      )
    }
    for version in found..<PGSchema.currentVersion {
      do {
        try connection.execute("BEGIN")
        let step = PGSchema.migrations[version]
        try connection.execute(step.sql)
        try step.backfill?(connection)
        try connection.query("INSERT INTO bls_schema (version) VALUES ($1)", [String(version + 1)])
        try connection.execute("COMMIT")
      } catch {
        _ = try? connection.execute("ROLLBACK")
        throw PostgresOpenError(error, doing: "migrating the schema to version \(version + 1)")
      }
    }
    return Report(fromVersion: found, toVersion: PGSchema.currentVersion)
  }
}
