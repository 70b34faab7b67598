import CZlib
import Foundation
import HeadroomModel

/// The example project that `headroom init --example` writes: `examples/acme` (the project `make
/// site` builds and the README describes), carried in the binary packed with zlib by the EmbedFiles
/// build tool. It unpacks to the same bytes, so the example builds to the same report.
enum ExampleProject {
    /// The example's files, by path inside the project, in path order.
    static func files() throws(HeadroomError) -> [(path: String, data: Data)] {
        guard let packed = Data(base64Encoded: EmbeddedExample.packed) else { throw broken("not base64") }
        var joined = [UInt8](repeating: 0, count: EmbeddedExample.size)
        var count = uLongf(joined.count)
        let status = packed.withUnsafeBytes { bytes in
            uncompress(&joined, &count, bytes.bindMemory(to: Bytef.self).baseAddress, uLong(packed.count))
        }
        guard status == Z_OK, Int(count) == joined.count else { throw broken("zlib status \(status)") }
        // "<path>\n<byte count>\n<bytes>", one file after another.
        var files: [(path: String, data: Data)] = []
        var at = 0
        func line() -> String? {
            guard let end = joined[at...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            defer { at = end + 1 }
            return String(decoding: joined[at..<end], as: UTF8.self)
        }
        while at < joined.count {
            guard let path = line(), let size = line().flatMap({ Int($0) }), size >= 0, size <= joined.count - at
            else { throw broken("a damaged entry at byte \(at)") }
            files.append((path, Data(joined[at..<(at + size)])))
            at += size
        }
        return files
    }

    private static func broken(_ detail: String) -> HeadroomError {
        HeadroomError(
            .publish, "the example carried in this headroom binary cannot be unpacked (\(detail))",
            remedy: "build Headroom again, or copy examples/acme from its repository")
    }
}
