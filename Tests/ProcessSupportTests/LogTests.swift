import ProcessSupport
import Testing

@Suite struct LogTests {
  @Test func textIsTheReadableLine() {
    let line = Log.render(.info, "serving", [], format: .text, now: (0, 0))
    #expect(String(decoding: line, as: UTF8.self) == "bls-fcgi: serving\n")
    let warning = Log.render(.warning, "low disk", [("free", "1%")], format: .text, now: (0, 0))
    #expect(String(decoding: warning, as: UTF8.self) == "bls-fcgi: WARNING: low disk free=1%\n")
  }

  @Test func jsonIsOneObjectPerLineWithEveryCharacterEscaped() {
    let line = Log.render(
      .error, "bad \"value\"\nsecond line", [("variable", "BLS_PORT"), ("got", "a\tb")], format: .json,
      now: (1_796_372_018, 7))
    #expect(
      String(decoding: line, as: UTF8.self)
        == #"{"time":"2026-12-04T08:13:38.007Z","level":"error","message":"bad \"value\"\nsecond line","fields":{"variable":"BLS_PORT","got":"a\tb"}}"#
        + "\n")
    #expect(line.filter { $0 == 0x0A }.count == 1)
  }

  @Test func timesAreRFC3339InUTC() {
    #expect(Log.rfc3339(seconds: 0, milliseconds: 0) == "1970-01-01T00:00:00.000Z")
    #expect(Log.rfc3339(seconds: 951_782_400, milliseconds: 999) == "2000-02-29T00:00:00.999Z")
  }
}
