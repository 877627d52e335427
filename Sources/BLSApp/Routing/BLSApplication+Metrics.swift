import BLSMetrics

extension BLSApplication {
  /// A registry holding this build's `bls_build_info` and the request metrics; adapters
  /// register theirs after (bls-fcgi: the store, the transport, the process).
  static func registry(_ requestMetrics: RequestMetrics) -> MetricsRegistry {
    let registry = MetricsRegistry()
    registry.register { page in
      page.family("bls_build_info", .gauge, help: "Always 1; the version label is this build's.")
      page.sample("bls_build_info", [("version", BLSApplication.version)], "1")
    }
    registry.register(requestMetrics)
    return registry
  }

  /// GET /metrics: the Prometheus page (text format 0.0.4) to a client
  /// ``BLSConfiguration/metricsAllow`` allows (loopback by default); a 403 in the reject
  /// shape to any other, and to a request whose web server did not say who sent it. It needs
  /// no `BLS_AUTH_TOKEN`: the allow list is its guard.
  func metricsPage(_ request: HTTPRequest) -> HTTPResponse {
    guard configuration.metricsAllow.allows(request.remoteAddress) else {
      return Self.error(
        403,
        "Forbidden: /metrics answers loopback clients and those in BLS_METRICS_ALLOW only (this client: \(request.remoteAddress ?? "unknown"))"
      )
    }
    return HTTPResponse(
      status: 200, headers: [(name: "Content-Type", value: MetricsText.contentType)],
      body: Array(metrics.render().text.utf8))
  }
}
