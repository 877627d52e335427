import Nostr
import Synchronization
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
    case shared(SQLiteConnection, Locked<Void>)
  }

  private struct State {
    var idle: [SQLiteConnection] = []
    var closed = false
  }

  private let source: Source
  private let maxIdle: Int
  private let state = Mutex(State())

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
      return try guardLock.withLock { _ throws(EventStoreError) in
        guard !state.withLock({ $0.closed }) else { throw Self.closedError }
        return try body(connection)
      }
    case .open(let open):
      let connection = try checkOut(open)
      defer { checkIn(connection) }
      return try body(connection)
    }
  }

  private func checkOut(_ open: () throws(SQLiteError) -> SQLiteConnection)
    throws(EventStoreError) -> SQLiteConnection
  {
    let idle = try state.withLock { state throws(EventStoreError) -> SQLiteConnection? in
      guard !state.closed else { throw Self.closedError }
      return state.idle.popLast()
    }
    if let idle { return idle }
    do {
      return try open()
    } catch {
      throw EventStoreError(error)
    }
  }

  private func checkIn(_ connection: SQLiteConnection) {
    let kept = state.withLock { state in
      guard !state.closed, state.idle.count < maxIdle else { return false }
      state.idle.append(connection)
      return true
    }
    if !kept { connection.close() }
  }

  /// Closes idle connections; connections in use close when returned. For a shared
  /// connection, waits until no reader is using it; afterwards none will.
  func close() {
    if case .shared(_, let guardLock) = source {
      guardLock.withLock { _ in state.withLock { $0.closed = true } }
      return
    }
    let connections = state.withLock { state in
      state.closed = true
      defer { state.idle.removeAll() }
      return state.idle
    }
    for connection in connections { connection.close() }
  }

  private static let closedError = EventStoreError(code: "closed", message: "the event store is closed")
}
