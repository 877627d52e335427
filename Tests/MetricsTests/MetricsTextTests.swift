import BLSMetrics
import Testing

@Suite struct MetricsTextTests {
  @Test func decimalsAreExact() {
    #expect(MetricsText.decimal(1_500_000, scale: 1_000_000_000) == "0.0015")
    #expect(MetricsText.decimal(2_000_000_000, scale: 1_000_000_000) == "2")
    #expect(MetricsText.decimal(0, scale: 1_000_000_000) == "0")
    #expect(MetricsText.decimal(12345, scale: 100) == "123.45")
    #expect(MetricsText.decimal(7, scale: 1) == "7")
  }

  @Test func labelValuesAndHelpAreEscaped() {
    var page = MetricsText()
    page.family("x_total", .counter, help: "a \\ b\nc")
    page.sample("x_total", [("path", "a\"b\\c\nd")], "1")
    #expect(page.text == "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{path=\"a\\\"b\\\\c\\nd\"} 1\n")
  }

  @Test func histogramBucketsAreCumulativeWithInfLast() {
    let histogram = Histogram(bounds: [1, 4], scale: 1)
    for value: UInt64 in [0, 1, 3, 4, 9] { histogram.observe(value) }
    var page = MetricsText()
    page.histogram("h", [("e", "a")], histogram.snapshot)
    #expect(
      page.text == """
        h_bucket{e="a",le="1"} 2
        h_bucket{e="a",le="4"} 4
        h_bucket{e="a",le="+Inf"} 5
        h_sum{e="a"} 17
        h_count{e="a"} 5

        """)
  }

  @Test func wideCounterCarriesPast64Bits() {
    let counter = WideCounter()
    counter.add(UInt64.max)
    counter.add(UInt64.max)
    counter.add(3)
    #expect(counter.value == UInt128(UInt64.max) * 2 + 3)
    #expect(String(counter.value) == "36893488147419103233")
  }

  @Test func registryWritesSourcesInOrder() {
    let registry = MetricsRegistry()
    registry.register { $0.single("a", .gauge, help: "first", "1") }
    registry.register { $0.single("b", .gauge, help: "second", "2") }
    let page = registry.render()
    #expect(page.families == ["a", "b"])
    #expect(page.text.hasSuffix("b 2\n"))
  }
}
