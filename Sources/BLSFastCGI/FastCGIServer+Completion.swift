import CLinux
import HTTPCore
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Deferred responses: a handler that answers later hands its response to the completion
/// queue from whatever thread has it (for BLS: the store's writer, once a batch is durable);
/// a worker writes it.
extension FastCGIServer {
  /// Queues the deferred `response` for `connection`; wakes a worker through the completion
  /// eventfd when the queue was empty. Called once per deferred request, from any thread.
  func complete(_ connection: FastCGIConnection, _ response: HTTPResponse) {
    let first = locked { () -> Bool in
      completed.append((connection, response))
      return completed.count == 1
    }
    if first {
      var one: UInt64 = 1
      _ = write(completionFD, &one, 8)
    }
  }

  /// Writes every queued deferred response, finishes its request and releases its
  /// connection; then re-arms the completion eventfd (reset first, so a response queued
  /// meanwhile makes it readable again and wakes a worker).
  func writeCompleted() {
    var count: UInt64 = 0
    _ = read(completionFD, &count, 8)
    let batch = locked { () -> [(FastCGIConnection, HTTPResponse)] in
      defer { completed.removeAll(keepingCapacity: true) }
      return completed
    }
    _ = bls_epoll_watch_once(epoll, EPOLL_CTL_MOD, completionFD, Self.completionToken)
    for (connection, response) in batch {
      let open = connection.finish(response, keep: true, closeAfter: isStopping)
      release(connection, open: open)
      deferred.subtract(1, ordering: .acquiringAndReleasing)
    }
  }

  /// After a stop: until every deferred request is answered, waits for the completion eventfd
  /// and writes what arrives (each worker alike; a stop never drops an accepted payment's
  /// answer).
  func finishDeferred() {
    while deferred.load(ordering: .acquiring) > 0 {
      var entry = pollfd(fd: completionFD, events: Int16(POLLIN), revents: 0)
      _ = poll(&entry, 1, 100)
      writeCompleted()
    }
  }
}
