import CZlib
import Foundation
import HeadroomModel

/// gzip files (RFC 1952), as AWS Data Exports deliver FOCUS and CUR 2.0 exports (`*.csv.gz`),
/// inflated with Debian's zlib. Members written one after another (`cat a.gz b.gz`) are one file,
/// as `gzip -d` reads them.
enum Gzip {
    /// A name Headroom reads compressed: a CSV export.
    static func isCompressedCSV(_ name: String) -> Bool { name.lowercased().hasSuffix(".csv.gz") }

    /// The bytes `data` holds; an error naming `display` and the byte where it goes wrong for a
    /// file that is not gzip, is damaged or cut short, or unpacks to more than `limit` bytes.
    static func inflate(_ data: Data, display: String, limit: Int) throws(HeadroomError) -> Data {
        func fail(_ message: String, at offset: Int?, remedy: String? = nil) -> HeadroomError {
            HeadroomError(
                .ingest, file: display, message + (offset.map { " (at byte \($0) of the file)" } ?? ""),
                remedy: remedy ?? "download the export again (aws s3 cp), unchanged")
        }
        guard data.count >= 2, data[data.startIndex] == 0x1F, data[data.startIndex + 1] == 0x8B else {
            throw fail(
                "not a gzip file (a .csv.gz name needs gzip bytes)", at: 0,
                remedy: "name it .csv if it is not compressed")
        }
        var output = Data()
        var stream = z_stream()
        // 16 + 15: a gzip header and trailer around a deflate stream with a 32 KB window.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("zlib could not start inflating", at: nil)
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        let result: HeadroomError? = data.withUnsafeBytes { raw -> HeadroomError? in
            let input = raw.bindMemory(to: Bytef.self)
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                if output.count + produced > limit {
                    return fail(
                        "unpacks to more than "
                            + (limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes")
                            + ", more than Headroom reads from one file",
                        at: nil,
                        remedy: "query the export with Athena and save the week's result, or split the export")
                }
                output.append(contentsOf: buffer[0..<produced])
                let consumed = input.count - Int(stream.avail_in)
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; anything else after the end is damage.
                    guard stream.avail_in > 0 else { return nil }
                    if input[consumed...].allSatisfy({ $0 == 0 }) { return nil }  // padding
                    guard input.count - consumed >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B else {
                        return fail("bytes after the end of the gzip data", at: consumed)
                    }
                    guard inflateReset(&stream) == Z_OK else { return fail("zlib could not go on", at: consumed) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: the input ended inside the compressed data.
                    return fail("cut short: the gzip data ends before its end", at: input.count)
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "damaged data"
                    return fail("not valid gzip data (\(reason))", at: consumed)
                }
            }
        }
        if let result { throw result }
        return output
    }
}
