import CLinux
import Glibc
import HTTPCore

/// Deferred responses: a handler that answers later hands its response to the completion
/// queue from whatever thread has it (for BLS: the store's writer, once a batch is durable);
/// a worker writes it.
extension FastCGIServer {
  /// Delivers the deferred `response` for `connection`: to the worker holding the connection
  /// right now (it answers before letting go), else through the completion queue, waking a
  /// worker through the completion eventfd when the queue was empty. Called once per deferred
  /// request, from any thread.
  func complete(_ connection: FastCGIConnection, _ response: HTTPResponse) {
    let first = state.withLock { state -> Bool in
      if connection.hold == .worker && state.connections[connection.token] != nil {
        connection.answer = response
        return false
      }
      state.completed.append((connection, response))
      return state.completed.count == 1
    }
    if first {
      var one: UInt64 = 1
      _ = write(completionFD, &one, 8)
    }
  }

  /// Writes every queued deferred response on its connection, then re-arms the completion
  /// eventfd (reset first, so a response queued meanwhile makes it readable again).
  func writeCompleted() {
    var count: UInt64 = 0
    _ = Glibc.read(completionFD, &count, 8)
    let batch = state.withLock { state -> [(FastCGIConnection, HTTPResponse)] in
      defer { state.completed.removeAll(keepingCapacity: true) }
      return state.completed
    }
    _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, completionFD, Self.completionToken)
    for (connection, response) in batch {
      enum Claim {
        case held
        case gone
        case handedOver
      }
      let claim = state.withLock { state -> Claim in
        guard state.connections[connection.token] != nil else { return .gone }
        if connection.hold == .worker {
          connection.answer = response
          return .handedOver
        }
        connection.hold = .worker
        return .held
      }
      switch claim {
      case .held:
        deliver(response, on: connection)
        release(connection, alive: true)
      case .gone:
        // The web server went away first; the request was abandoned.
        deferred.subtract(1, ordering: .acquiringAndReleasing)
      case .handedOver: break
      }
    }
  }
}
