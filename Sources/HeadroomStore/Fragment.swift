import Foundation
import HeadroomModel

/// The bytes the store keeps for one input file: everything the adapters read from it, as a
/// `Dataset` whose `sources` is the file's row.
///
/// Layout: the magic `HRF1`; the length of the JSON part (UInt32, little-endian); the dataset as
/// JSON with every series' points left out; then the points of each series in order: the count
/// as a varint, then per point the difference to the previous point's time (zigzag varint, so a
/// regular 5-minute series costs 2 bytes a time) and the value's IEEE 754 bits (8 bytes,
/// little-endian), so every value, NaN included, comes back bit for bit.
public enum Fragment {
    static let magic: [UInt8] = Array("HRF1".utf8)

    public static func encode(_ dataset: Dataset) throws(HeadroomError) -> Data {
        var skeleton = dataset
        for index in skeleton.series.indices { skeleton.series[index].points = [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        let json: Data
        do {
            json = try encoder.encode(skeleton)
        } catch {
            throw HeadroomError(.ingest, "cannot encode what was read for the store", underlying: error)
        }
        var bytes = magic
        let count = dataset.series.reduce(0) { $0 + $1.points.count }
        bytes.reserveCapacity(8 + json.count + count * 11 + dataset.series.count * 2)
        var length = UInt32(json.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        for series in dataset.series {
            appendVarint(UInt64(series.points.count), to: &bytes)
            var previous: Int64 = 0
            for point in series.points {
                let delta = point.time.seconds &- previous
                previous = point.time.seconds
                appendVarint(UInt64(bitPattern: (delta << 1) ^ (delta >> 63)), to: &bytes)
                var bits = point.value.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
            }
        }
        return Data(bytes)
    }

    /// The dataset back; a malformed fragment is an error (the store checks each fragment's
    /// SHA-256 before this, so that means a bug or a store written by another Headroom).
    public static func decode(_ data: Data) throws(FragmentError) -> Dataset {
        let result = data.withUnsafeBytes { raw in Result { () throws(FragmentError) in try decode(raw) } }
        return try result.get()
    }

    private static func decode(_ raw: UnsafeRawBufferPointer) throws(FragmentError) -> Dataset {
        var reader = Reader(bytes: raw)
        guard try reader.take(4).elementsEqual(magic) else { throw FragmentError("not a fragment") }
        let length = try reader.take(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        let json = Data(try reader.take(length))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        var dataset: Dataset
        do {
            dataset = try decoder.decode(Dataset.self, from: json)
        } catch {
            throw FragmentError("the records do not decode: \(error)")
        }
        for index in dataset.series.indices {
            let count = try reader.varint()
            guard count <= UInt64(reader.remaining / 9) else { throw FragmentError("a point count is too large") }
            var points: [Point] = []
            points.reserveCapacity(Int(count))
            var time: Int64 = 0
            for _ in 0..<count {
                let zigzag = try reader.varint()
                time = time &+ (Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
                let bits = try reader.uint64()
                points.append(Point(time: Instant(seconds: time), value: Double(bitPattern: bits)))
            }
            dataset.series[index].points = points
        }
        guard reader.remaining == 0 else { throw FragmentError("\(reader.remaining) bytes after the last point") }
        return dataset
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        var remaining: Int { bytes.count - offset }

        mutating func take(_ count: Int) throws(FragmentError) -> UnsafeRawBufferPointer.SubSequence {
            guard count >= 0, count <= remaining else { throw FragmentError("cut short at byte \(offset)") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func uint64() throws(FragmentError) -> UInt64 {
            guard remaining >= 8 else { throw FragmentError("cut short at byte \(offset)") }
            defer { offset += 8 }
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }

        mutating func varint() throws(FragmentError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard offset < bytes.count, shift < 64 else { throw FragmentError("a bad number at byte \(offset)") }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
    }
}

public struct FragmentError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
