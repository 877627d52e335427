import Synchronization

/// Something that writes metric families onto a page when it is scraped: the application's
/// request counters, the store's commit figures, the transport's connections, the process.
public protocol MetricsSource: Sendable {
  /// Appends this source's families (each name once per page).
  func write(to page: inout MetricsText)
}

/// A ``MetricsSource`` made of a closure, for adapters wired in at start.
public struct MetricsClosureSource: MetricsSource {
  let body: @Sendable (inout MetricsText) -> Void

  public init(_ body: @escaping @Sendable (inout MetricsText) -> Void) {
    self.body = body
  }

  public func write(to page: inout MetricsText) { body(&page) }
}

/// The sources of one process's `/metrics` page, in the order they are written. Sources are
/// added at start (some exist only after the application: the transport); the lock is taken
/// once per scrape and per addition, never per request.
public final class MetricsRegistry: Sendable {
  private let sources = Mutex<[any MetricsSource]>([])

  public init() {}

  /// Adds `source` after those already registered.
  public func register(_ source: any MetricsSource) {
    sources.withLock { $0.append(source) }
  }

  /// Adds a closure source.
  public func register(_ body: @escaping @Sendable (inout MetricsText) -> Void) {
    register(MetricsClosureSource(body))
  }

  /// The page: every source, in order.
  public func render() -> MetricsText {
    let current = sources.withLock { $0 }
    var page = MetricsText()
    for source in current { source.write(to: &page) }
    return page
  }
}
