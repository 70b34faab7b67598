import Foundation
import HeadroomModel

/// The bytes the store keeps for one input file: everything the adapters read from it, as a
/// `Dataset` whose `sources` is the file's row.
///
/// Layout (`HRF3`): the magic; the length of the records before and after compression (two
/// UInt32, little-endian); the dataset with every series' points left out, in `BinaryCoding`'s
/// form, compressed with zlib; then the points of each series in order (`Points`). Every value,
/// NaN and −0 included, comes back bit for bit. Fragments of earlier layouts are still read, so a
/// store written by an earlier Headroom needs no rebuild: `HRF2` has the records as JSON (five
/// times slower to decode: a fifth of a build that adds a week to twelve), `HRF1` the JSON
/// uncompressed, then per point a time difference and the value's 8 bytes.
public enum Fragment {
    static let magic: [UInt8] = Array("HRF3".utf8)
    static let jsonMagic: [UInt8] = Array("HRF2".utf8)
    static let firstMagic: [UInt8] = Array("HRF1".utf8)

    public static func encode(_ dataset: Dataset) throws(HeadroomError) -> Data {
        var skeleton = dataset
        for index in skeleton.series.indices { skeleton.series[index].points = [] }
        let records: Data
        do {
            records = try BinaryCoding.encode(skeleton)
        } catch {
            throw HeadroomError(.ingest, "cannot encode what was read for the store", underlying: error)
        }
        let packed = Zlib.compress(records)
        var bytes = magic
        let count = dataset.series.reduce(0) { $0 + $1.points.count }
        bytes.reserveCapacity(12 + packed.count + count * 3 + dataset.series.count * 4)
        for length in [records.count, packed.count] {
            var value = UInt32(length).littleEndian
            withUnsafeBytes(of: &value) { bytes.append(contentsOf: $0) }
        }
        bytes.append(contentsOf: packed)
        var previous: [Point]?
        for series in dataset.series {
            Points.append(series.points, after: previous, to: &bytes)
            previous = series.points
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
        let head = try reader.take(4)
        let first = head.elementsEqual(firstMagic)
        guard first || head.elementsEqual(jsonMagic) || head.elementsEqual(magic) else {
            throw FragmentError("not a fragment")
        }
        let records: Data
        if first {
            records = Data(try reader.take(try reader.uint32()))
        } else {
            let length = try reader.uint32()
            guard let unpacked = Zlib.decompress(Data(try reader.take(try reader.uint32())), count: length) else {
                throw FragmentError("the records do not decompress")
            }
            records = unpacked
        }
        var dataset: Dataset
        do {
            dataset = try BinaryCoding.decodeStored(Dataset.self, from: records)
        } catch {
            throw FragmentError("the records do not decode: \(error)")
        }
        var previous: [Point]?
        for index in dataset.series.indices {
            let points = first ? try firstLayoutPoints(&reader) : try Points.read(&reader, after: previous)
            dataset.series[index].points = points
            previous = points
        }
        guard reader.remaining == 0 else { throw FragmentError("\(reader.remaining) bytes after the last point") }
        return dataset
    }

    /// A series' points in the first layout: the count, then per point the time's difference to
    /// the previous (zigzag) and the value's 8 bytes.
    private static func firstLayoutPoints(_ reader: inout Reader) throws(FragmentError) -> [Point] {
        let count = try reader.varint()
        guard count <= UInt64(reader.remaining / 9) else { throw FragmentError("a point count is too large") }
        var points: [Point] = []
        points.reserveCapacity(Int(count))
        var time: Int64 = 0
        for _ in 0..<count {
            time = time &+ unzigzag(try reader.varint())
            points.append(Point(time: Instant(seconds: time), value: Double(bitPattern: try reader.uint64())))
        }
        return points
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        var remaining: Int { bytes.count - offset }

        mutating func take(_ count: Int) throws(FragmentError) -> UnsafeRawBufferPointer.SubSequence {
            guard count >= 0, count <= remaining else { throw FragmentError("cut short at byte \(offset)") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func uint32() throws(FragmentError) -> Int {
            Int(try take(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }

        mutating func byte() throws(FragmentError) -> UInt8 {
            guard remaining >= 1 else { throw FragmentError("cut short at byte \(offset)") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint64() throws(FragmentError) -> UInt64 {
            guard remaining >= 8 else { throw FragmentError("cut short at byte \(offset)") }
            defer { offset += 8 }
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }

        mutating func varint() throws(FragmentError) -> UInt64 {
            guard let value = Fragment.varint(in: bytes, at: &offset) else {
                throw FragmentError("a bad number at byte \(offset)")
            }
            return value
        }
    }

    /// The varint (`appendVarint`) at `offset` in `bytes`, moving `offset` past it; nil when it
    /// runs past the end or past 64 bits (`offset` is then where it went wrong).
    static func varint(in bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { return nil }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}

public struct FragmentError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
