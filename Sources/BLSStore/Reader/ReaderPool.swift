import Nostr
import Threads

/// Connections for `event(id:)` and `query(_:)`, one per concurrent reader.
///
/// On a file, readers are separate read-only connections: in WAL mode they read the last
/// committed snapshot and never block the writer, nor it them. An in-memory database exists
/// only inside its one connection, so there readers share the writer's connection and take
/// the lock the writer holds around each batch.
final class ReaderPool: @unchecked Sendable {
  enum Source {
    /// Opens a new read-only connection.
    case open(@Sendable () throws(SQLiteError) -> SQLiteConnection)
    /// The writer's connection and the lock that serializes its use.
    case shared(SQLiteConnection, ConditionLock)
  }

  private let source: Source
  private let maxIdle: Int
  // Guarded by `lock`.
  private let lock = ConditionLock()
  private var idle: [SQLiteConnection] = []
  private var closed = false

  init(source: Source, maxIdle: Int) {
    self.source = source
    self.maxIdle = maxIdle
  }

  /// Runs `body` with a connection no other thread is using.
  func withConnection<T>(_ body: (SQLiteConnection) throws(EventStoreError) -> T)
    throws(EventStoreError) -> T
  {
    switch source {
    case .shared(let connection, let guardLock):
      guardLock.lock()
      defer { guardLock.unlock() }
      guard !lock.withLock({ closed }) else { throw Self.closedError }
      return try body(connection)
    case .open(let open):
      let connection = try checkOut(open)
      defer { checkIn(connection) }
      return try body(connection)
    }
  }

  private func checkOut(_ open: () throws(SQLiteError) -> SQLiteConnection)
    throws(EventStoreError) -> SQLiteConnection
  {
    lock.lock()
    if closed {
      lock.unlock()
      throw Self.closedError
    }
    if let connection = idle.popLast() {
      lock.unlock()
      return connection
    }
    lock.unlock()
    do {
      return try open()
    } catch {
      throw EventStoreError(error)
    }
  }

  private func checkIn(_ connection: SQLiteConnection) {
    lock.lock()
    let keep = !closed && idle.count < maxIdle
    if keep { idle.append(connection) }
    lock.unlock()
    if !keep { connection.close() }
  }

  /// Closes idle connections; connections in use close when returned. For a shared
  /// connection, waits until no reader is using it; afterwards none will.
  func close() {
    if case .shared(_, let guardLock) = source {
      guardLock.withLock { lock.withLock { closed = true } }
      return
    }
    let connections = lock.withLock {
      closed = true
      defer { idle.removeAll() }
      return idle
    }
    for connection in connections { connection.close() }
  }

  private static let closedError = EventStoreError(code: "closed", message: "the event store is closed")
}
