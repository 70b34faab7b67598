import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way Headroom writes a single file outside the site: the report dump, the JUnit file and
/// the metric request files.
///
/// An existing file is replaced only when it is a regular file that Headroom wrote, as `replaces`
/// recognises it from its first bytes; anything else (a configuration, a note, a link, a folder)
/// is left untouched with an error. The new bytes go to a temporary file beside the target that
/// is then renamed over it, so a killed build leaves the old file or the new one, never half of one.
public enum OutputFile {
    public static func write(
        _ data: Data, to path: String, what: String, replaces: (Data) -> Bool
    ) throws(HeadroomError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                guard replaces(head(path)) else {
                    throw HeadroomError(
                        .publish, file: path,
                        "the file exists and is not \(what) that Headroom wrote; it is left untouched",
                        remedy: "choose another path, or delete the file first")
                }
            case S_IFLNK:
                throw HeadroomError(
                    .publish, file: path, "the path is a symbolic link; Headroom writes no file through one",
                    remedy: "choose another path")
            default:
                throw HeadroomError(
                    .publish, file: path, "the path exists and is not a regular file", remedy: "choose another path")
            }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appending(
            path: ".\(url.lastPathComponent).headroom-\(getpid())"
        )
        .path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw HeadroomError(
                .publish, file: path, "cannot write \(what): \(String(cString: strerror(errno)))",
                remedy: "check that the folder exists and is writable")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary)
            throw HeadroomError(.publish, file: path, "cannot write \(what)", underlying: error)
        }
    }

    /// The first 4 KiB of a file, for `replaces`.
    static func head(_ path: String) -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { return Data() }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4096)) ?? Data()
    }

    /// Whether `data` starts with `prefix`.
    public static func starts(_ data: Data, with prefix: String) -> Bool { data.starts(with: Data(prefix.utf8)) }
}
