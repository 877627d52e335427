extension BLSConfiguration {
  /// `BLS_METRICS_ALLOW` (or its `_FILE`): comma-separated IPv4/IPv6 addresses and CIDR
  /// blocks that may read `GET /metrics` besides loopback.
  static func parseMetricsAllow(_ env: Environment, into configuration: inout BLSConfiguration)
    throws(ConfigurationError)
  {
    guard let allow = try env.value("BLS_METRICS_ALLOW") else { return }
    guard let list = AddressAllowList(loopbackAnd: allow.value) else {
      let entry = AddressAllowList.firstInvalidEntry(allow.value) ?? allow.value
      throw ConfigurationError(
        variable: allow.source,
        rule:
          "must be comma-separated IP addresses or CIDR blocks (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8), got \"\(entry)\""
      )
    }
    configuration.metricsAllow = list
  }
}
