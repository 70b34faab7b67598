import HeadroomModel
import Testing

@Suite struct MetricsTests {
    func series(_ times: [Int64]) -> MetricSeries {
        MetricSeries(
            identity: .expression("e", period: 60), label: "l",
            points: times.enumerated().map { Point(time: Instant(seconds: $0.element), value: Double($0.offset)) },
            source: "s.json")
    }

    /// `points(in:)` gives what filtering the points gives, for sorted and unsorted points, any
    /// interval, and the edges; when every point is inside, it is the series' own array.
    @Test func pointsInAnIntervalAreThoseAFilterKeeps() {
        var state: UInt64 = 47
        func next(_ bound: Int64) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((state >> 33) % UInt64(bound))
        }
        var cases: [([Int64], Range<Instant>)] = [
            ([], Instant(seconds: 0)..<Instant(seconds: 10)),
            ([5], Instant(seconds: 5)..<Instant(seconds: 6)),
            ([5], Instant(seconds: 0)..<Instant(seconds: 5)),
            ([0, 60, 120, 180], Instant(seconds: 60)..<Instant(seconds: 180)),
            ([0, 60, 120, 180], Instant(seconds: 0)..<Instant(seconds: 181)),
            ([180, 120, 60, 0], Instant(seconds: 60)..<Instant(seconds: 180)),
            ([0, 60, 60, 120], Instant(seconds: 0)..<Instant(seconds: 100)),
        ]
        for _ in 0..<500 {
            let count = Int(next(40))
            var times = (0..<count).map { _ in next(1000) }
            if next(3) > 0 { times = Array(Set(times)).sorted() }
            let low = next(1100) - 50
            cases.append((times, Instant(seconds: low)..<Instant(seconds: low + next(600))))
        }
        for (times, interval) in cases {
            let item = series(times)
            #expect(
                item.points(in: interval) == item.points.filter { interval.contains($0.time) }, "\(times) \(interval)")
        }
        let whole = series([0, 60, 120])
        let kept = whole.points(in: Instant(seconds: 0)..<Instant(seconds: 121))
        kept.withUnsafeBufferPointer { mine in
            whole.points.withUnsafeBufferPointer { theirs in #expect(mine.baseAddress == theirs.baseAddress) }
        }
    }
}
