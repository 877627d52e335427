import Nostr
import Synchronization

/// Read connections, opened on demand and kept idle up to a bound. A connection that failed
/// is closed, not returned; the next read opens a fresh one, so reads recover by themselves
/// once the database is back.
final class PGReaderPool: Sendable {
  private let idle = Mutex<[PGConnection]?>([])
  private let maxIdle: Int
  private let connect: @Sendable () throws(PGError) -> PGConnection

  init(maxIdle: Int, connect: @escaping @Sendable () throws(PGError) -> PGConnection) {
    self.maxIdle = maxIdle
    self.connect = connect
  }

  /// Runs `body` on a connection of its own. A kept connection found dead (the server
  /// restarted while it sat idle) is dropped and the read runs once more on a new one.
  func withConnection<T>(_ body: (PGConnection) throws(PGError) -> T) throws(EventStoreError) -> T {
    let taken = idle.withLock { idle -> (PGConnection?, Bool) in
      guard idle != nil else { return (nil, true) }
      return (idle!.popLast(), false)
    }
    if taken.1 { throw PGGroupCommitter.closedError }
    if let kept = taken.0 {
      do throws(PGError) {
        let value = try body(kept)
        giveBack(kept)
        return value
      } catch {
        guard !kept.isHealthy else {
          giveBack(kept)
          throw EventStoreError(error)
        }
        kept.close()
      }
    }
    let connection: PGConnection
    do throws(PGError) {
      connection = try connect()
    } catch {
      throw EventStoreError(error)
    }
    do {
      let value = try body(connection)
      giveBack(connection)
      return value
    } catch {
      if connection.isHealthy { giveBack(connection) } else { connection.close() }
      throw EventStoreError(error)
    }
  }

  private func giveBack(_ connection: PGConnection) {
    let kept = idle.withLock { idle -> Bool in
      guard idle != nil, idle!.count < maxIdle else { return false }
      idle!.append(connection)
      return true
    }
    if !kept { connection.close() }
  }

  /// Closes every idle connection; later reads fail with `closed`.
  func close() {
    let all = idle.withLock { idle -> [PGConnection] in
      defer { idle = nil }
      return idle ?? []
    }
    for connection in all { connection.close() }
  }
}
