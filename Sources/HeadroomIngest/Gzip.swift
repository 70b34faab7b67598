import CZlib
import Foundation
import HeadroomModel

/// gzip files (RFC 1952), as AWS Data Exports deliver FOCUS and CUR 2.0 exports (`*.csv.gz`),
/// inflated with Debian's zlib a chunk at a time (`Stream`), so that an export streams through the
/// CSV reader without its unpacked text in memory. Members written one after another
/// (`cat a.gz b.gz`) are one file, as `gzip -d` reads them.
enum Gzip {
    /// A name Headroom reads compressed: a CSV export.
    static func isCompressedCSV(_ name: String) -> Bool { name.lowercased().hasSuffix(".csv.gz") }

    /// The first unpacked chunks of `data`: up to a line feed after the first byte that is not
    /// blank, or all of it. Enough to tell the export's format by its header, and whether it is
    /// blank, without unpacking the rest.
    static func start(_ data: Data, display: String, limit: Int) throws(HeadroomError) -> Data {
        let stream = try Stream(data, display: display, limit: limit)
        var output = Data()
        var content = false
        while let chunk = try stream.next() {
            output.append(contentsOf: chunk)
            for byte in chunk {
                if byte == 0x0A, content { return output }
                if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 { content = true }
            }
        }
        return output
    }

    /// The unpacked bytes of `data`, a chunk of at most `chunkSize` at a time; an error naming
    /// `display` and the byte where it goes wrong for a file that is not gzip, is damaged or cut
    /// short, or unpacks to more than `limit` bytes in all.
    final class Stream {
        private var stream = z_stream()
        /// The compressed bytes, pinned for zlib's pointer into them.
        private let input: UnsafeMutableBufferPointer<Bytef>
        private let display: String
        private let limit: Int
        private let chunkSize: Int
        private var produced = 0
        private var ended = false
        private var started = false

        init(_ data: Data, display: String, limit: Int, chunkSize: Int = 1 << 20) throws(HeadroomError) {
            guard data.count >= 2, data[data.startIndex] == 0x1F, data[data.startIndex + 1] == 0x8B else {
                throw Self.fail(
                    display, "not a gzip file (a .csv.gz name needs gzip bytes)", at: 0,
                    remedy: "name it .csv if it is not compressed")
            }
            self.display = display
            self.limit = limit
            self.chunkSize = chunkSize
            input = .allocate(capacity: data.count)
            _ = input.initialize(from: data)
            // 16 + 15: a gzip header and trailer around a deflate stream with a 32 KB window.
            guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
            else { throw Self.fail(display, "zlib could not start inflating", at: nil) }
            started = true
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(data.count)
        }

        deinit {
            if started { inflateEnd(&stream) }
            input.deallocate()
        }

        static func fail(_ display: String, _ message: String, at offset: Int?, remedy: String? = nil) -> HeadroomError
        {
            HeadroomError(
                .ingest, file: display, message + (offset.map { " (at byte \($0) of the file)" } ?? ""),
                remedy: remedy ?? "download the export again (aws s3 cp), unchanged")
        }

        /// The next chunk (never empty), or nil after the last.
        func next() throws(HeadroomError) -> [UInt8]? {
            while !ended {
                var buffer = [UInt8](repeating: 0, count: chunkSize)
                let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let count = chunkSize - Int(stream.avail_out)
                produced += count
                if produced > limit {
                    throw Self.fail(
                        display,
                        "unpacks to more than " + (limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes")
                            + ", more than Headroom reads from one file",
                        at: nil,
                        remedy: "query the export with Athena and save the week's result, or split the export")
                }
                let consumed = input.count - Int(stream.avail_in)
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; anything else after the end is damage.
                    if stream.avail_in == 0 || input[consumed...].allSatisfy({ $0 == 0 }) {  // padding
                        ended = true
                    } else {
                        guard input.count - consumed >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B else {
                            throw Self.fail(display, "bytes after the end of the gzip data", at: consumed)
                        }
                        guard inflateReset(&stream) == Z_OK else {
                            throw Self.fail(display, "zlib could not go on", at: consumed)
                        }
                    }
                case Z_OK:
                    break
                case Z_BUF_ERROR:
                    // No progress possible: the input ended inside the compressed data.
                    throw Self.fail(display, "cut short: the gzip data ends before its end", at: input.count)
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "damaged data"
                    throw Self.fail(display, "not valid gzip data (\(reason))", at: consumed)
                }
                if count > 0 {
                    buffer.removeLast(chunkSize - count)
                    return buffer
                }
            }
            return nil
        }
    }
}
