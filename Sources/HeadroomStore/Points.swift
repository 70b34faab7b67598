import HeadroomModel

/// A series' points as a fragment keeps them: compact for what CloudWatch really returns (regular
/// periods, decimals with few digits), and bit for bit for any value.
///
/// - the count (varint); nothing more for none;
/// - the times: `1` when they are those of the file's previous series (the queries of one
///   get-metric-data call share their periods), else `0`, the first time and each next
///   difference's change (zigzag varints: one byte a point for a regular series);
/// - the values: a byte `k` (0…6) when every value is a decimal with at most `k` digits after the
///   point that comes back exactly from its digits, plus 16 when each is stored as its change from
///   the one before (chosen when smaller), then each as a zigzag varint of value × 10^k; or `255`,
///   then each value's IEEE 754 bits (8 bytes), for a series with any other value (NaN, −0).
enum Points {
    static let powers: [Double] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]
    static let raw: UInt8 = 255
    static let delta: UInt8 = 16

    static func append(_ points: [Point], after previous: [Point]?, to bytes: inout [UInt8]) {
        Fragment.appendVarint(UInt64(points.count), to: &bytes)
        guard !points.isEmpty else { return }
        if let previous, previous.count == points.count, zip(previous, points).allSatisfy({ $0.time == $1.time }) {
            bytes.append(1)
        } else {
            bytes.append(0)
            var last: Int64 = 0
            var step: Int64 = 0
            for point in points {
                let difference = point.time.seconds &- last
                Fragment.appendVarint(Fragment.zigzag(difference &- step), to: &bytes)
                last = point.time.seconds
                step = difference
            }
        }
        guard let scale = scale(points) else {
            bytes.append(raw)
            for point in points {
                var bits = point.value.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
            }
            return
        }
        let power = powers[scale]
        let digits = points.map { Int64(($0.value * power).rounded()) }
        var plainSize = 0
        var deltaSize = 0
        var last: Int64 = 0
        for value in digits {
            plainSize += size(Fragment.zigzag(value))
            deltaSize += size(Fragment.zigzag(value &- last))
            last = value
        }
        let useDelta = deltaSize < plainSize
        bytes.append(UInt8(scale) | (useDelta ? delta : 0))
        last = 0
        for value in digits {
            Fragment.appendVarint(Fragment.zigzag(useDelta ? value &- last : value), to: &bytes)
            last = value
        }
    }

    static func read(_ reader: inout Fragment.Reader, after previous: [Point]?) throws(FragmentError) -> [Point] {
        let count = try reader.varint()
        guard count > 0 else { return [] }
        // Every point costs at least one byte, for its value.
        guard count <= UInt64(reader.remaining) else { throw FragmentError("a point count is too large") }
        var times: [Int64] = []
        times.reserveCapacity(Int(count))
        switch try reader.byte() {
        case 1:
            guard let previous, previous.count == Int(count) else {
                throw FragmentError("a series shares the times of a series that has other points")
            }
            times = previous.map(\.time.seconds)
        case 0:
            var last: Int64 = 0
            var step: Int64 = 0
            for _ in 0..<count {
                step = step &+ Fragment.unzigzag(try reader.varint())
                last = last &+ step
                times.append(last)
            }
        case let other: throw FragmentError("an unknown layout of times (\(other))")
        }
        let kind = try reader.byte()
        var points: [Point] = []
        points.reserveCapacity(Int(count))
        if kind == raw {
            guard count <= UInt64(reader.remaining / 8) else { throw FragmentError("a point count is too large") }
            for time in times {
                points.append(Point(time: Instant(seconds: time), value: Double(bitPattern: try reader.uint64())))
            }
            return points
        }
        let scale = Int(kind & ~delta)
        guard scale < powers.count, kind & ~(delta | 7) == 0 else {
            throw FragmentError("an unknown layout of values (\(kind))")
        }
        let power = powers[scale]
        let useDelta = kind & delta != 0
        var last: Int64 = 0
        for time in times {
            let stored = Fragment.unzigzag(try reader.varint())
            let value = useDelta ? last &+ stored : stored
            last = value
            points.append(Point(time: Instant(seconds: time), value: Double(value) / power))
        }
        return points
    }

    /// The fewest digits after the point with which every value comes back exactly, or nil.
    static func scale(_ points: [Point]) -> Int? {
        var scale = 0
        for point in points {
            while !exact(point.value, powers[scale]) {
                scale += 1
                if scale == powers.count { return nil }
            }
        }
        return scale
    }

    /// Whether `value` is `value × power` (an integer below 2^53) divided by `power`, bit for bit.
    @inline(__always) static func exact(_ value: Double, _ power: Double) -> Bool {
        let digits = (value * power).rounded()
        guard abs(digits) < 0x1p53 else { return false }
        return (Double(Int64(digits)) / power).bitPattern == value.bitPattern
    }

    @inline(__always) static func size(_ value: UInt64) -> Int { max(1, (64 - value.leadingZeroBitCount + 6) / 7) }
}
