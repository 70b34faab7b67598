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
/// build are removed by the next one; only folders that carry Headroom's staging or site marker
/// and whose build is gone, never a folder that merely has a similar name.
public enum Publisher {
    /// A file in every published site that lists every file of the site. An existing output
    /// folder is replaced only when it is empty or every file in it is on that list, so a
    /// mistyped `--output`, or a stray copy of the marker, cannot delete someone's files.
    public static let marker = ".headroom-site"
    /// The marker's first line.
    static let markerHeading = "Built by Headroom. Its files:"
    /// A file in a staging folder while it is being written.
    static let stagingMarker = ".headroom-staging"

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
    /// One thread uses it at a time: the caller, or the writer of `writeInBackground` until
    /// `finish` (hence unchecked).
    public final class Staging: @unchecked Sendable {
        let output: URL
        let staging: URL
        /// The output folder exists (and was built by Headroom).
        let exists: Bool
        private var directories: Set<String> = []
        /// The staging folder is removed if the build is stopped by a signal before `commit`.
        private var onStop: Int?

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
                try Self.checkReplaceable(output)
            }
            do {
                try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw fail("cannot create the folder", parent.path, underlying: error)
            }
            let prefix = Self.prefix(output)
            for stale in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? [] where stale.hasPrefix(prefix) {
                let folder = parent.appending(path: stale)
                if Self.isAbandoned(folder, name: String(stale.dropFirst(prefix.count))) {
                    Publisher.remove(folder)
                }
            }
            staging = parent.appending(path: "\(prefix)\(getpid())")
            do {
                // A stop comes before the folder exists or after it is registered for removal.
                onStop = try Interruption.shared.uninterrupted { [staging] () throws -> Int in
                    Publisher.remove(staging)  // this process's own, from an earlier publish
                    try manager.createDirectory(at: staging, withIntermediateDirectories: false)
                    try Data("A site being written by Headroom (process \(getpid())).\n".utf8).write(
                        to: staging.appending(path: Publisher.stagingMarker))
                    return Interruption.shared.onStop { Publisher.remove(staging) }
                }
            } catch {
                Publisher.remove(staging)  // a full disk can fail the marker after the folder
                throw fail("cannot write the site", staging.path, underlying: error)
            }
        }

        /// An existing output may be replaced when it is empty, or when every file in it is on its
        /// marker's list.
        static func checkReplaceable(_ output: URL) throws(HeadroomError) {
            let base = output.path
            var files: [String] = []
            if let enumerator = FileManager.default.enumerator(atPath: base) {
                for case let path as String in enumerator {
                    var info = stat()
                    if lstat(base + "/" + path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR { files.append(path) }
                }
            }
            guard !files.isEmpty else { return }
            guard let data = FileManager.default.contents(atPath: base + "/" + marker),
                let text = String(data: data, encoding: .utf8)
            else {
                throw fail(
                    "the output folder is not empty and was not built by Headroom; it is left untouched", base,
                    remedy: "choose an empty or new --output folder")
            }
            let lines = text.split(separator: "\n").map(String.init)
            guard lines.first == markerHeading else {
                throw fail(
                    "the output folder was built by an older Headroom, whose marker does not list its files; it is left untouched",
                    base, remedy: "delete the folder once (it holds only a built site), then build again")
            }
            let listed = Set(lines.dropFirst())
            let foreign = files.filter { $0 != marker && !listed.contains($0) }.sorted()
            guard foreign.isEmpty else {
                throw fail(
                    "the output folder holds \(foreign.count == 1 ? "a file" : "\(foreign.count) files") that Headroom did not write (\(foreign.prefix(3).joined(separator: ", "))); it is left untouched",
                    base, remedy: "move those files out, or choose another --output folder")
            }
        }

        /// A folder beside the output named like a staging folder (`<pid>` or `old-<pid>`) is
        /// removed when its process is gone and it carries the staging or site marker, or is
        /// empty: a build killed between making the folder and writing its marker, or between
        /// removing the marker and the folder, leaves it so.
        static func isAbandoned(_ folder: URL, name: String) -> Bool {
            let digits = name.hasPrefix("old-") ? String(name.dropFirst(4)) : name
            guard let pid = Int32(digits), pid > 0, pid != getpid() else { return false }
            if kill(pid, 0) == 0 || errno != ESRCH { return false }
            let manager = FileManager.default
            return manager.fileExists(atPath: folder.appending(path: stagingMarker).path)
                || manager.fileExists(atPath: folder.appending(path: marker).path)
                || (try? manager.contentsOfDirectory(atPath: folder.path))?.isEmpty == true
        }

        static func prefix(_ output: URL) -> String { ".\(output.lastPathComponent).headroom-" }

        /// Every file written, for the marker.
        private var written: [String] = []

        /// Writes `files` into the staging folder; a kept file is hard-linked from the output.
        public func write(_ files: [SiteFile]) throws(HeadroomError) {
            try finish()
            try writeAll(files)
        }

        private func writeAll(_ files: [SiteFile]) throws(HeadroomError) {
            // Folders first; then the files in two groups of folders, one per core: creating a
            // file holds its folder's lock, so two threads in two folders do not wait for each
            // other (a week's function pages and the root's latest pages are two thousand files).
            var byFolder: [String: [Int]] = [:]
            do {
                for (index, file) in files.enumerated() {
                    let directory = staging.appending(path: file.path).deletingLastPathComponent().path
                    if directories.insert(directory).inserted {
                        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    }
                    byFolder[directory, default: []].append(index)
                }
            } catch {
                throw fail("cannot write the site", staging.path, underlying: error)
            }
            var groups: [[Int]] = [[], []]
            for (_, indices) in byFolder.sorted(by: { ($1.value.count, $0.key) < ($0.value.count, $1.key) }) {
                groups[groups[0].count <= groups[1].count ? 0 : 1] += indices
            }
            let write = { @Sendable (index: Int) throws(HeadroomError) in
                do {
                    try Interruption.shared.uninterrupted { () throws in try self.write(files[index]) }
                } catch let error as HeadroomError {
                    throw error
                } catch {
                    throw Publisher.fail("cannot write the site", self.staging.path, underlying: error)
                }
            }
            if files.count < 64 {
                for index in files.indices { try write(index) }
            } else {
                _ = try groups.concurrentMap { group throws(HeadroomError) in
                    for index in group { try write(index) }
                }
            }
            written += files.map(\.path)
        }

        /// `write` on a thread of its own, while the caller renders the next pages: creating two
        /// thousand files is mostly the kernel's work, which this way overlaps rendering. At most
        /// one such write runs; `finish` waits for it and throws what it threw. Call `finish` before
        /// anything else uses the staging folder.
        public func writeInBackground(_ files: [SiteFile]) throws(HeadroomError) {
            try finish()
            let done = DispatchSemaphore(value: 0)
            let outcome = Outcome()
            let writer = Thread { [self] in
                do throws(HeadroomError) {
                    try writeAll(files)
                } catch {
                    outcome.error = error
                }
                done.signal()
            }
            writer.name = "writer"
            pending = (done, outcome)
            writer.start()
        }

        /// Waits for `writeInBackground`'s files, if any are being written.
        public func finish() throws(HeadroomError) {
            guard let (done, outcome) = pending else { return }
            pending = nil
            done.wait()
            if let error = outcome.error { throw error }
        }

        /// A background write's error, set on its thread before it signals.
        private final class Outcome: @unchecked Sendable {
            var error: HeadroomError?
        }
        private var pending: (DispatchSemaphore, Outcome)?

        /// One file, into a folder `writeAll` made.
        private func write(_ file: SiteFile) throws {
            let target = staging.appending(path: file.path)
            if file.kept {
                // The same bytes as the output's file: a hard link, so it is not rewritten; a copy
                // where the file system has no hard links (or no inode left for one).
                let existing = output.appending(path: file.path).path
                let linked = exists && link(existing, target.path) == 0
                if linked { return }
                guard exists, errno != ENOENT else {
                    throw HeadroomError(
                        .publish, file: existing, "a page of the previous site that this build keeps is gone",
                        remedy: "build again: the history store notices the missing page and renders it")
                }
                try Publisher.write(try Data(contentsOf: URL(fileURLWithPath: existing)), to: target.path)
            } else {
                try Publisher.write(file.contents, to: target.path)
            }
        }

        /// Removes the staging folder: the output stays as it was.
        public func abandon() {
            try? finish()
            stopWatching()
            Publisher.remove(staging)
        }

        /// From here on a signal leaves the staging folder to the next build: `commit` may already
        /// have moved the previous site aside.
        private func stopWatching() {
            if let onStop { Interruption.shared.cancel(onStop) }
            onStop = nil
        }

        /// Adds the marker, syncs everything written, and swaps the staging folder into place.
        public func commit() throws(HeadroomError) { try commit(during: {}) }

        /// `commit`, then runs `work` while the previous site is removed on another thread (at
        /// 100 functions and 13 weeks, 1,600 pages take 0.07 s to remove). A build stopped
        /// meanwhile leaves the rest of it to the next build, as it does a staging folder.
        public func commit<T>(during work: () throws(HeadroomError) -> T) throws(HeadroomError) -> T {
            do throws(HeadroomError) {
                try finish()
            } catch {
                abandon()
                throw error
            }
            stopWatching()
            let manager = FileManager.default
            let parent = output.deletingLastPathComponent()
            do {
                let list = ([markerHeading] + written.sorted()).joined(separator: "\n") + "\n"
                try write([SiteFile(path: marker, contents: Data(list.utf8))])
                try manager.removeItem(at: staging.appending(path: stagingMarker))
                try syncFileSystem(of: staging.path)
            } catch let error as HeadroomError {
                abandon()
                throw error
            } catch {
                abandon()
                throw fail("cannot write the site", staging.path, underlying: error)
            }
            var previous: URL?
            if exists {
                if exchange(staging.path, output.path) {
                    previous = staging  // now holds the previous site
                } else {
                    // File systems without RENAME_EXCHANGE: two renames, with a brief moment between them.
                    let aside = parent.appending(path: "\(Self.prefix(output))old-\(getpid())")
                    guard rename(output.path, aside.path) == 0, rename(staging.path, output.path) == 0 else {
                        let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                        if !manager.fileExists(atPath: output.path) { _ = rename(aside.path, output.path) }
                        abandon()
                        throw fail("cannot move the new site into place", output.path, underlying: error)
                    }
                    previous = aside
                }
            } else if rename(staging.path, output.path) != 0 {
                let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                abandon()
                throw fail("cannot move the new site into place", output.path, underlying: error)
            }
            syncDirectory(parent.path)
            guard let previous else { return try work() }
            let removed = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                Publisher.remove(previous)
                removed.signal()
            }
            defer { removed.wait() }
            return try work()
        }
    }

    /// Removes a staging folder or a previous site with its markers last, so that a build killed
    /// while removing it leaves a folder the next build still recognises as its own.
    static func remove(_ folder: URL) {
        let manager = FileManager.default
        let markers: Set<String> = [marker, stagingMarker]
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where !markers.contains(name) {
            try? manager.removeItem(at: folder.appending(path: name))
        }
        try? manager.removeItem(at: folder)
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
