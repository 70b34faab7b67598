import CZlib
import Foundation

/// zlib (Debian's), for the JSON parts of the store: deterministic for a given zlib.
public enum Zlib {
    /// `level` 1 (fastest) to 9 (smallest); 6 is zlib's default.
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var bound = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(bound))
        let status = data.withUnsafeBytes { input in
            compress2(&output, &bound, input.bindMemory(to: Bytef.self).baseAddress, uLong(data.count), level)
        }
        // compress2 fails only without memory or with a buffer smaller than compressBound.
        precondition(status == Z_OK, "zlib could not compress (status \(status))")
        return Data(output.prefix(Int(bound)))
    }

    /// The `count` bytes packed in `data`, or nil when they are not (a damaged store).
    public static func decompress(_ data: Data, count: Int) -> Data? {
        guard count >= 0, count <= 1 << 31 else { return nil }
        var output = [UInt8](repeating: 0, count: count)
        var size = uLongf(count)
        let status = data.withUnsafeBytes { input in
            uncompress(&output, &size, input.bindMemory(to: Bytef.self).baseAddress, uLong(data.count))
        }
        guard status == Z_OK, Int(size) == count else { return nil }
        return Data(output)
    }
}

extension Zlib {
    static let packedMagic: [UInt8] = Array("HRZ1".utf8)

    /// `data` compressed, after the magic `HRZ1` and its length (UInt32, little-endian).
    public static func pack(_ data: Data, level: Int32 = 6) -> Data {
        var bytes = packedMagic
        var length = UInt32(data.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        return Data(bytes) + compress(data, level: level)
    }

    /// What `pack` packed; bytes without the magic (written before packing) come back as they are;
    /// nil when the packed bytes are damaged.
    public static func unpack(_ data: Data) -> Data? {
        guard data.count >= 8, data.prefix(4).elementsEqual(packedMagic) else { return data }
        let count = data.dropFirst(4).prefix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        return decompress(Data(data.dropFirst(8)), count: count)
    }
}
