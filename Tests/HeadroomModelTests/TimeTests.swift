import Foundation
import HeadroomModel
import Testing

@Suite struct ISOWeekTests {
    @Test func parsesAndPrints() {
        #expect(ISOWeek("2026-W47") == ISOWeek(year: 2026, week: 47))
        #expect(ISOWeek(year: 2026, week: 7).description == "2026-W07")
        for bad in ["2026-W00", "2026-W54", "2025-W53", "2026W47", "2026-w47", "26-W47", "2026-W4", ""] {
            #expect(ISOWeek(bad) == nil, "\(bad)")
        }
        #expect(ISOWeek("2026-W53") != nil)  // 2026 starts on a Thursday
        #expect(ISOWeek("2020-W53") != nil)
    }

    /// Checks the arithmetic against Foundation's ISO 8601 calendar, day by day over 12 years.
    @Test func agreesWithFoundationCalendar() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = Instant.days(year: 2018, month: 12, day: 20)
        for days in stride(from: start, to: start + 365 * 12, by: 1) {
            let date = Date(timeIntervalSince1970: TimeInterval(days * 86_400))
            let components = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            let expected = ISOWeek(year: components.yearForWeekOfYear!, week: components.weekOfYear!)
            #expect(ISOWeek.containing(civilDays: days) == expected, "\(Instant(seconds: days * 86_400))")
        }
    }

    @Test func weeksFollowTheConfiguredZoneAcrossDaylightSaving() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let w43 = ISOWeek(year: 2026, week: 43).interval(in: berlin)  // clocks go back on 25 October
        #expect(w43.lowerBound.description == "2026-10-18T22:00:00Z")
        #expect(w43.upperBound.description == "2026-10-25T23:00:00Z")
        #expect(w43.upperBound.seconds - w43.lowerBound.seconds == 169 * 3600)
        let w13 = ISOWeek(year: 2026, week: 13).interval(in: berlin)  // clocks go forward on 29 March
        #expect(w13.upperBound.seconds - w13.lowerBound.seconds == 167 * 3600)
        // Sunday 23:30 local is still the old week; Monday 00:00 local is the new one.
        #expect(ISOWeek.containing(Instant(seconds: w43.upperBound.seconds - 1800), in: berlin).week == 43)
        #expect(ISOWeek.containing(w43.upperBound, in: berlin).week == 44)
        let utc = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)
        #expect(utc.lowerBound.description == "2026-11-16T00:00:00Z")
        #expect(ISOWeek(year: 2026, week: 1).previous == ISOWeek(year: 2025, week: 52))
        #expect(ISOWeek(year: 2026, week: 53).next == ISOWeek(year: 2027, week: 1))
    }

    @Test func civilDatesRoundTrip() {
        for days in stride(from: Int64(-800_000), to: 800_000, by: 997) {
            let (y, m, d) = Instant.civil(fromDays: days)
            #expect(Instant.days(year: y, month: m, day: d) == days)
        }
        #expect(Instant(seconds: 0).description == "1970-01-01T00:00:00Z")
        #expect(Instant(seconds: -1).description == "1969-12-31T23:59:59Z")
    }
}

@Suite struct HeadroomErrorTests {
    @Test func describesLocationRemedyAndCauses() {
        let inner = HeadroomError(.ingest, file: "a.json", position: .line(3, column: 7), "invalid JSON")
        let error = HeadroomError(
            .ingest, file: "b.json", position: .jsonPath("$.Values[2]"), "expected a number", remedy: "fix it",
            underlying: inner)
        #expect(
            error.description
                == "b.json at $.Values[2]: expected a number\n  fix: fix it\n  caused by: a.json:3:7: invalid JSON")
        #expect(error.exitCode == 1)
        #expect(HeadroomError(.configuration, "x").exitCode == 2)
        #expect(HeadroomError(.usage, "x").exitCode == 2)
    }

    @Test func suggestsClosestKey() {
        #expect(Suggest.closest(to: "titel", in: ["title", "timeZone"]) == "title")
        #expect(Suggest.closest(to: "timezone", in: ["title", "timeZone"]) == "timeZone")
        #expect(Suggest.closest(to: "completelyDifferent", in: ["title", "timeZone"]) == nil)
    }
}
