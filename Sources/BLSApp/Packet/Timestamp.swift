/// Strict parsing of the `expiresAt` of a /handle-packet request: an RFC 3339 §5.6
/// `date-time`, the profile of ISO 8601 that JavaScript's `Date.prototype.toISOString()`
/// writes (`2025-01-01T00:00:00.000Z`, what the connector sends).
///
/// Accepted: `YYYY-MM-DD` `T` `hh:mm:ss`, an optional fraction of 1–9 digits, then `Z` or a
/// `±hh:mm` offset (`T` and `Z` in either case, as RFC 3339 allows). Years 0000–9999, real
/// calendar dates, hours 00–23, minutes 00–59, seconds 00–60 (a leap second counts as the
/// next second). Anything else — another ISO 8601 form, spaces, an extended `+YYYYYY` year,
/// more than 40 characters — is refused. Sub-millisecond digits are truncated.
enum Timestamp {
  /// The longest text looked at: `YYYY-MM-DDThh:mm:ss.fffffffff+hh:mm` is 35 characters.
  static let maxLength = 40

  /// Unix milliseconds of `text`, or `nil` when it is not such a date-time.
  static func unixMillis(_ text: String) -> Int64? {
    let bytes = Array(text.utf8.prefix(maxLength + 1))
    guard bytes.count >= 20, bytes.count <= maxLength else { return nil }
    var cursor = 0
    func digits(_ count: Int) -> Int? {
      guard cursor + count <= bytes.count else { return nil }
      var value = 0
      for b in bytes[cursor..<cursor + count] {
        guard b >= 0x30, b <= 0x39 else { return nil }
        value = value * 10 + Int(b - 0x30)
      }
      cursor += count
      return value
    }
    func expect(_ allowed: UInt8...) -> Bool {
      guard cursor < bytes.count, allowed.contains(bytes[cursor]) else { return false }
      cursor += 1
      return true
    }
    guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
      let day = digits(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t")),
      let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
      let second = digits(2)
    else { return nil }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour <= 23, minute <= 59,
      second <= 60
    else { return nil }
    var millis = 0
    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
      cursor += 1
      let start = cursor
      while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 { cursor += 1 }
      let count = cursor - start
      guard (1...9).contains(count) else { return nil }
      for (index, b) in bytes[start..<start + min(count, 3)].enumerated() {
        millis += Int(b - 0x30) * [100, 10, 1][index]
      }
    }
    var offsetMinutes = 0
    guard cursor < bytes.count else { return nil }
    switch bytes[cursor] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      cursor += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      let sign = bytes[cursor] == UInt8(ascii: "-") ? -1 : 1
      cursor += 1
      guard let offsetHour = digits(2), expect(UInt8(ascii: ":")), let offsetMinute = digits(2), offsetHour <= 23,
        offsetMinute <= 59
      else { return nil }
      offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
    default:
      return nil
    }
    guard cursor == bytes.count else { return nil }
    let days = daysSinceEpoch(year: year, month: month, day: day)
    let seconds = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second
    return Int64(seconds) * 1000 + Int64(millis)
  }

  static func isLeap(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days from 1970-01-01 to a proleptic Gregorian date: whole 400-year eras of 146097 days,
  /// counted from March so that the leap day ends the year.
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }
}
