import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way Headroom opens a file it reads: configuration, price table, rules, notes, templates
/// and every snapshot.
///
/// A file is read only when it is a regular file whose real path (every symbolic link resolved)
/// lies inside `root`, the project's folder (or a source folder that `headroom.yml` names outside
/// it). A link that leaves the root, a directory, a FIFO, a device or a socket is refused with the
/// reason, so that a note linked to `/proc/self/environ` never publishes the build's environment,
/// and a FIFO never hangs a build. The bytes are read from the descriptor that was checked.
public enum ProjectFile {
    /// Why `path` may not be read as an input under `root`, or nil when it may.
    public static func refusal(_ path: String, root: String) -> String? {
        switch inspect(path, root: root) {
        case .success: nil
        case .failure(let reason): reason.text
        }
    }

    /// The bytes of `path`, which must pass `refusal(_:root:)` and be at most `limit` bytes. Large
    /// files are mapped, not copied. Errors name `display` and carry `stage`.
    public static func read(
        _ path: String, display: String, root: String, limit: Int, stage: HeadroomError.Stage
    ) throws(HeadroomError) -> Data {
        let real: String
        switch inspect(path, root: root) {
        case .success(let resolved): real = resolved
        case .failure(let reason): throw HeadroomError(stage, file: display, reason.text, remedy: reason.remedy)
        }
        let descriptor = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw HeadroomError(stage, file: display, "cannot open the file: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw HeadroomError(stage, file: display, "the file changed into something that is not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            close(descriptor)
            throw HeadroomError(
                stage, file: display, "the file is \(size) bytes, over the limit of \(limit)",
                remedy: "split it into smaller files")
        }
        if size >= 1 << 20, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0),
            mapped != MAP_FAILED
        {
            close(descriptor)
            return Data(
                bytesNoCopy: mapped, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            return try handle.read(upToCount: size) ?? Data()
        } catch {
            throw HeadroomError(stage, file: display, "cannot read the file", underlying: error)
        }
    }

    /// Text of `data` as UTF-8, or an error at the line and column of the first byte that is not
    /// UTF-8.
    public static func text(_ data: Data, display: String, stage: HeadroomError.Stage) throws(HeadroomError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var line = 1
        var column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return String(decoding: data, as: UTF8.self)
            case .error:
                throw HeadroomError(
                    stage, file: display, position: .line(line, column: column),
                    "the file is not UTF-8 text: an invalid byte sequence here", remedy: "save the file as UTF-8")
            }
        }
    }

    enum Reason: Error {
        case unreadable(String)
        case outside
        case notRegular(String)

        var text: String {
            switch self {
            case .unreadable(let why): "cannot read the file: \(why)"
            case .outside:
                "a symbolic link that leaves the project is not followed (Headroom reads no file outside it through a link)"
            case .notRegular(let kind): "\(kind) is not read; an input must be a regular file"
            }
        }

        var remedy: String? {
            switch self {
            case .unreadable: nil
            case .outside: "copy the file into the project, or name its real folder in headroom.yml"
            case .notRegular: "remove it, or replace it with a regular file"
            }
        }
    }

    static func inspect(_ path: String, root: String) -> Result<String, Reason> {
        guard let real = realPath(path) else {
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                return .failure(.unreadable("a symbolic link to nothing"))
            }
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        let base = realPath(root) ?? root
        guard real == base || real.hasPrefix(base.hasSuffix("/") ? base : base + "/") else {
            return .failure(.outside)
        }
        var info = stat()
        guard stat(real, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .success(real)
        case S_IFDIR: return .failure(.notRegular("a folder"))
        case S_IFIFO: return .failure(.notRegular("a FIFO (named pipe)"))
        case S_IFCHR, S_IFBLK: return .failure(.notRegular("a device"))
        case S_IFSOCK: return .failure(.notRegular("a socket"))
        default: return .failure(.notRegular("this kind of file"))
        }
    }

    /// `path` with every symbolic link resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
