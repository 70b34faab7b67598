import Foundation
import HeadroomModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes the site atomically: everything goes into a staging folder beside the output, is synced
/// once, and is then swapped into place with `renameat2(RENAME_EXCHANGE)`, so the output folder is
/// never half-written or missing, even if the process is killed. Staging folders left by a killed
/// build are removed by the next one.
public enum Publisher {
    /// A file in every published site; an existing output folder without it (and not empty) is
    /// never replaced, so a mistyped `--output` cannot delete someone's folder.
    public static let marker = ".headroom-site"

    public static func publish(_ files: [SiteFile], to output: URL) throws(HeadroomError) {
        let staging = try Staging(output)
        do {
            try staging.write(files)
        } catch {
            staging.abandon()
            throw error
        }
        try staging.commit()
    }

    /// A site being written: files go into a staging folder beside the output as they come, so a
    /// build need not hold the whole site in memory, and `commit` syncs them and swaps the folder
    /// into place. Until then the output is untouched; `abandon` removes the staging folder.
    public final class Staging {
        let output: URL
        let staging: URL
        /// The output folder exists (and was built by Headroom).
        let exists: Bool
        private var directories: Set<String> = []

        /// Checks the output and makes the staging folder, removing any a killed build left.
        public init(_ output: URL) throws(HeadroomError) {
            let output = output.standardizedFileURL
            self.output = output
            let parent = output.deletingLastPathComponent()
            let manager = FileManager.default
            var isDirectory: ObjCBool = false
            exists = manager.fileExists(atPath: output.path, isDirectory: &isDirectory)
            if exists {
                guard isDirectory.boolValue else {
                    throw fail("the output exists and is not a folder", output.path, remedy: "choose another --output")
                }
                let contents = (try? manager.contentsOfDirectory(atPath: output.path)) ?? []
                guard contents.isEmpty || contents.contains(marker) else {
                    throw fail(
                        "the output folder is not empty and was not built by Headroom; it is left untouched",
                        output.path, remedy: "choose an empty or new --output folder")
                }
            }
            do {
                try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw fail("cannot create the folder", parent.path, underlying: error)
            }
            let prefix = Self.prefix(output)
            for stale in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where stale.hasPrefix(prefix) {
                try? manager.removeItem(at: parent.appending(path: stale))
            }
            staging = parent.appending(path: "\(prefix)\(getpid())")
            do {
                try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            } catch {
                throw fail("cannot write the site", staging.path, underlying: error)
            }
        }

        static func prefix(_ output: URL) -> String { ".\(output.lastPathComponent).headroom-" }

        /// Writes `files` into the staging folder; a kept file is hard-linked from the output.
        public func write(_ files: [SiteFile]) throws(HeadroomError) {
            let manager = FileManager.default
            do {
                for file in files {
                    let target = staging.appending(path: file.path)
                    let directory = target.deletingLastPathComponent().path
                    if directories.insert(directory).inserted {
                        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    }
                    if file.kept {
                        // The same bytes as the output's file: a hard link, so it is not rewritten.
                        let existing = output.appending(path: file.path).path
                        guard exists, link(existing, target.path) == 0 else {
                            throw HeadroomError(
                                .publish, file: existing, "a page of the previous site that this build keeps is gone",
                                remedy: "build again: the history store notices the missing page and renders it")
                        }
                    } else {
                        try Publisher.write(file.contents, to: target.path)
                    }
                }
            } catch let error as HeadroomError {
                throw error
            } catch {
                throw fail("cannot write the site", staging.path, underlying: error)
            }
        }

        /// Removes the staging folder: the output stays as it was.
        public func abandon() {
            try? FileManager.default.removeItem(at: staging)
        }

        /// Adds the marker, syncs everything written, and swaps the staging folder into place.
        public func commit() throws(HeadroomError) {
            let manager = FileManager.default
            let parent = output.deletingLastPathComponent()
            do {
                try write([SiteFile(path: marker, contents: Data("Built by Headroom.\n".utf8))])
                try syncFileSystem(of: staging.path)
            } catch let error as HeadroomError {
                abandon()
                throw error
            } catch {
                abandon()
                throw fail("cannot write the site", staging.path, underlying: error)
            }
            if exists {
                if exchange(staging.path, output.path) {
                    try? manager.removeItem(at: staging)  // now holds the previous site
                } else {
                    // File systems without RENAME_EXCHANGE: two renames, with a brief moment between them.
                    let previous = parent.appending(path: "\(Self.prefix(output))old-\(getpid())")
                    guard rename(output.path, previous.path) == 0, rename(staging.path, output.path) == 0 else {
                        let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                        if !manager.fileExists(atPath: output.path) { _ = rename(previous.path, output.path) }
                        abandon()
                        throw fail("cannot move the new site into place", output.path, underlying: error)
                    }
                    try? manager.removeItem(at: previous)
                }
            } else if rename(staging.path, output.path) != 0 {
                let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                abandon()
                throw fail("cannot move the new site into place", output.path, underlying: error)
            }
            syncDirectory(parent.path)
        }
    }

    static func fail(
        _ message: String, _ path: String, remedy: String? = nil, underlying: (any Error & Sendable)? = nil
    )
        -> HeadroomError
    {
        HeadroomError(.publish, file: path, message, remedy: remedy, underlying: underlying)
    }

    /// A plain write: `Data.write` fsyncs every file, which is slow; one sync at the end suffices.
    private static func write(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }

    private typealias RenameAt2 =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private typealias SyncFS = @convention(c) (Int32) -> Int32
    private static let renameExchange: UInt32 = 1 << 1

    /// Swaps two paths atomically. Swift's Glibc module does not export renameat2, so it is
    /// looked up at run time.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }

    private static func syncFileSystem(of path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") {
            _ = unsafeBitCast(symbol, to: SyncFS.self)(descriptor)
        } else {
            sync()
        }
    }

    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
