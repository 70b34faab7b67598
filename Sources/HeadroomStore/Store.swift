import Crypto
import Foundation
import GRDB
import HeadroomModel

#if canImport(Glibc)
    import Glibc
#endif

/// The history store: `.headroom/store.sqlite` beside `headroom.yml`, a SQLite database (through
/// GRDB) that keeps what was read from each input file, known by its content, so that a file is
/// parsed once and a week whose snapshots were archived still builds.
///
/// It is a cache of the snapshots, never the only truth: deleting `.headroom/` and building from
/// all snapshots gives the same site. One build at a time holds `.headroom/lock`; every change is
/// a transaction, so a build killed at any moment leaves the store consistent.
public final class Store: Sendable {
    public static let folderName = ".headroom"
    public static let fileName = "store.sqlite"
    /// How the store names itself in messages: relative to the project.
    public static let display = "\(folderName)/\(fileName)"

    /// One input file as the store knows it.
    public struct Entry: Sendable, Equatable {
        /// Relative to the project, as pages name it.
        public var path: String
        /// The ISO week folder the file sits in (`snapshots/2026-W47/…`), if any.
        public var week: String?
        /// Size and modification time of the file (and of its query file) and how it was read:
        /// when this is unchanged the file is not opened at all.
        public var stamp: String
        /// SHA-256 of the file, its query file, how it was read and the parser version.
        public var contentHash: String
        /// The format it was read as; nil for an empty file.
        public var format: String?
        /// The bytes of the file and its query file.
        public var rawBytes: Int64
        /// The bytes of its fragment in the store.
        public var storedBytes: Int64
        /// Only its thinned points are kept (`compact`): the whole points went with its snapshot.
        public var compacted: Bool

        public init(
            path: String, week: String?, stamp: String, contentHash: String, format: String?, rawBytes: Int64,
            storedBytes: Int64, compacted: Bool = false
        ) {
            self.path = path
            self.week = week
            self.stamp = stamp
            self.contentHash = contentHash
            self.format = format
            self.rawBytes = rawBytes
            self.storedBytes = storedBytes
            self.compacted = compacted
        }
    }

    public let folder: URL
    private let queue: DatabaseQueue
    private let lock: Int32

    /// Opens (or creates) the store of the project in `project`, first taking its lock: when
    /// another build holds it, `waiting` is called once and this waits for it. `rebuild` deletes
    /// the store first (`--rebuild-store`).
    public init(project: URL, rebuild: Bool = false, waiting: () -> Void = {}) throws(HeadroomError) {
        folder = project.appending(path: Store.folderName)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw HeadroomError(
                .ingest, file: Store.folderName, "cannot create the history store's folder", underlying: error)
        }
        let lockPath = folder.appending(path: "lock").path
        let descriptor = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw HeadroomError(
                .ingest, file: "\(Store.folderName)/lock", "cannot open the lock: \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        lock = descriptor
        let path = folder.appending(path: Store.fileName).path
        if rebuild {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.label = "headroom-store"
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.write { db in
                // A file that is not SQLite at all fails here, before any migration writes to it.
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
            }
            // Every page's structure, before anything is read or written: a damaged page the build
            // would not touch still stops it (3 ms for the example's 7 MB store).
            let check = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
            guard check == ["ok"] else {
                throw Store.unusable(FragmentError("SQLite's check found: " + check.joined(separator: "; ")))
            }
            try Store.migrator.migrate(queue)
            let superseded = try queue.read { db in try Store.migrator.hasBeenSuperseded(db) }
            if superseded {
                throw HeadroomError(
                    .ingest, file: Store.display, "the history store was written by a newer Headroom",
                    remedy: "build with that version, or run with --rebuild-store to rebuild it from the snapshots")
            }
        } catch let error as HeadroomError {
            Glibc.close(descriptor)
            throw error
        } catch {
            Glibc.close(descriptor)
            throw Store.unusable(error)
        }
    }

    deinit {
        Glibc.close(lock)
    }

    /// The schema, one migration per version. A store written by an older Headroom is migrated
    /// when it is opened; never edit a migration that has shipped, add one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: files and their fragments") { db in
            try db.create(table: "file") { table in
                table.primaryKey("path", .text)
                table.column("week", .text).indexed()
                table.column("stamp", .text).notNull()
                table.column("contentHash", .text).notNull()
                table.column("format", .text)
                table.column("rawBytes", .integer).notNull()
                table.column("storedBytes", .integer).notNull()
                table.column("fragment", .blob).notNull()
                table.column("fragmentHash", .text).notNull()
            }
        }
        migrator.registerMigration("v2: weeks, their frozen reports and published pages") { db in
            try db.create(table: "week") { table in
                table.primaryKey("week", .text)
                table.column("inputKey", .text).notNull()
                table.column("report", .blob).notNull()
                table.column("reportHash", .text).notNull()
                table.column("renderKey", .text)
                table.column("pages", .blob)
            }
        }
        migrator.registerMigration("v3: thinned fragments and settings") { db in
            try db.create(table: "thin") { table in
                table.primaryKey("path", .text)
                table.column("keepKey", .text).notNull()
                table.column("latest", .integer)
                table.column("removedFrom", .integer)
                table.column("removedTo", .integer)
                table.column("fragment", .blob).notNull()
                table.column("fragmentHash", .text).notNull()
            }
            try db.create(table: "setting") { table in
                table.primaryKey("name", .text)
                table.column("value", .blob).notNull()
            }
        }
        migrator.registerMigration("v4: compacted files and the pages of sealed weeks") { db in
            try db.alter(table: "file") { table in
                table.add(column: "compacted", .boolean).notNull().defaults(to: false)
            }
            try db.alter(table: "week") { table in
                table.add(column: "sealedPages", .blob)
                table.add(column: "sealedHash", .text)
                table.add(column: "sealedKey", .text)
                table.add(column: "sealedPruned", .boolean)
            }
        }
        return migrator
    }()

    /// A week's report as analysis left it, known by the SHA-256 of everything it was made from
    /// (`inputKey`), and what the last build published of it.
    public struct Week: Sendable, Equatable {
        public var week: String
        public var inputKey: String
        /// The encoded report (HeadroomKit decides the encoding), checked against its SHA-256.
        public var report: Data
        /// The key of the week's archived pages, and the pages as published (path → size and
        /// modification time), when the last build published them.
        public var renderKey: String?
        public var pages: Data?
        /// The render key of the pages the store keeps of the week when it is sealed (`seal`), and
        /// whether its function pages were pruned then; the pages are read with `sealedPages`.
        public var sealedKey: String?
        public var sealedPruned = false
    }

    /// Every stored week, by week.
    public func weeks() throws(HeadroomError) -> [String: Week] {
        let rows = try run { db in
            try Row.fetchAll(
                db,
                sql: "SELECT week, inputKey, report, reportHash, renderKey, pages, sealedKey, sealedPruned FROM week")
        }
        var weeks: [String: Week] = [:]
        for row in rows {
            let week: String = row["week"]
            let report: Data = row["report"]
            guard Store.sha256(report) == row["reportHash"] else {
                throw Store.unusable(FragmentError("the report stored for \(week) does not match its SHA-256"))
            }
            weeks[week] = Week(
                week: week, inputKey: row["inputKey"], report: report, renderKey: row["renderKey"], pages: row["pages"],
                sealedKey: row["sealedKey"], sealedPruned: row["sealedPruned"] ?? false)
        }
        return weeks
    }

    /// The bytes each stored week's report and sealed pages take, by week.
    public func weekBytes() throws(HeadroomError) -> [String: (report: Int64, pages: Int64)] {
        try run { db in
            var sizes: [String: (report: Int64, pages: Int64)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT week, length(report) AS report, coalesce(length(sealedPages), 0) AS pages FROM week")
            {
                sizes[row["week"]] = (row["report"], row["pages"])
            }
            return sizes
        }
    }

    /// Stores a week's report made from `inputKey`, replacing what the week had (its published
    /// pages included: they were made from the old report).
    public func freeze(week: String, inputKey: String, report: Data) throws(HeadroomError) {
        try run { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO week (week, inputKey, report, reportHash) VALUES (?, ?, ?, ?)",
                arguments: [week, inputKey, report, Store.sha256(report)])
        }
    }

    /// Records what a build published of each week's archived pages, in one transaction; a week
    /// given no key forgets what it had.
    public func published(_ weeks: [(week: String, renderKey: String?, pages: Data?)]) throws(HeadroomError) {
        guard !weeks.isEmpty else { return }
        try run { db in
            for item in weeks {
                try db.execute(
                    sql: "UPDATE week SET renderKey = ?, pages = ? WHERE week = ?",
                    arguments: [item.renderKey, item.pages, item.week])
            }
        }
    }

    /// Every file the store holds, by path, without their fragments.
    public func entries() throws(HeadroomError) -> [String: Entry] {
        try run { db in
            var entries: [String: Entry] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT path, week, stamp, contentHash, format, rawBytes, storedBytes, compacted FROM file")
            while let row = try rows.next() {
                let entry = Entry(
                    path: row["path"], week: row["week"], stamp: row["stamp"], contentHash: row["contentHash"],
                    format: row["format"], rawBytes: row["rawBytes"], storedBytes: row["storedBytes"],
                    compacted: row["compacted"])
                entries[entry.path] = entry
            }
            return entries
        }
    }

    /// What was read from the file at `path`, checked against the SHA-256 it was stored with.
    public func fragment(_ path: String) throws(HeadroomError) -> Dataset {
        let row = try run { db in
            try Row.fetchOne(
                db, sql: "SELECT fragment, fragmentHash, compacted, week FROM file WHERE path = ?", arguments: [path])
        }
        guard let row, let bytes: Data = row["fragment"], let hash: String = row["fragmentHash"] else {
            throw HeadroomError(.ingest, file: Store.display, "the store has no file \(path)")
        }
        if row["compacted"] { throw Store.compactedError(path, week: row["week"]) }
        return try Store.checked(bytes, hash: hash, what: "what was stored for \(path)")
    }

    /// A fragment's bytes decoded, once they match the SHA-256 they were stored with (SQLite does
    /// not notice bytes changed inside a blob); `what` names them in the error.
    static func checked(_ bytes: Data, hash: String?, what: String) throws(HeadroomError) -> Dataset {
        guard Store.sha256(bytes) == hash else {
            throw Store.unusable(FragmentError("\(what) does not match its SHA-256"))
        }
        do {
            return try Fragment.decode(bytes)
        } catch {
            throw Store.unusable(FragmentError("\(what) does not decode: \(error)"))
        }
    }

    /// A file's fragment as a build thins it for the weeks after it (HeadroomAnalysis's
    /// `Analysis.thinned`), with every series point before `before`: what the store keeps of it
    /// for `keepKey` (the metrics kept whole), with the span of the points left out. nil when the
    /// store has none for that key, or the file has points from `before` on.
    public func thinned(
        _ path: String, keepKey: String, before: Instant
    ) throws(HeadroomError) -> (fragment: Dataset, removed: ClosedRange<Instant>?)? {
        guard case .thinned(let fragment, let removed) = try kept([(path, false)], keepKey: keepKey, before: before)[0]
        else { return nil }
        return (fragment, removed)
    }

    /// What the store keeps of a file for a build: thinned for a key, or whole.
    public enum Kept: Sendable {
        case thinned(Dataset, removed: ClosedRange<Instant>?)
        case whole(Dataset)
    }

    /// For each of `paths`, `thinned(_:keepKey:before:)` when there is one, else `fragment(_:)`
    /// where `whole` allows it (nil otherwise: decoding every whole fragment at once could hold many
    /// weeks of points): read from the database one after another, then checked and decoded on
    /// every core.
    public func kept(
        _ paths: [(path: String, whole: Bool)], keepKey: String, before: Instant?
    ) throws(HeadroomError) -> [Kept?] {
        struct Raw: Sendable {
            var path: String
            var bytes: Data
            var hash: String
            var thinned: Bool
            var removed: ClosedRange<Instant>?
        }
        let raws: [Raw?] = try run { db in
            try paths.map { path, whole in
                if let before,
                    let row = try Row.fetchOne(
                        db, sql: "SELECT * FROM thin WHERE path = ? AND keepKey = ?", arguments: [path, keepKey]),
                    (row["latest"] as Int64?).map({ $0 < before.seconds }) ?? true
                {
                    let from: Int64? = row["removedFrom"]
                    let to: Int64? = row["removedTo"]
                    let removed = from.flatMap { from in to.map { Instant(seconds: from)...Instant(seconds: $0) } }
                    return Raw(
                        path: path, bytes: row["fragment"], hash: row["fragmentHash"], thinned: true, removed: removed)
                }
                guard whole else { return nil }
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT fragment, fragmentHash, compacted, week FROM file WHERE path = ?",
                        arguments: [path]),
                    let bytes: Data = row["fragment"], let hash: String = row["fragmentHash"]
                else {
                    throw HeadroomError(.ingest, file: Store.display, "the store has no file \(path)")
                }
                if row["compacted"] { throw Store.compactedError(path, week: row["week"]) }
                return Raw(path: path, bytes: bytes, hash: hash, thinned: false, removed: nil)
            }
        }
        return try raws.concurrentMap { raw throws(HeadroomError) -> Kept? in
            guard let raw else { return nil }
            let what = raw.thinned ? "what was stored thinned for" : "what was stored for"
            let dataset = try Store.checked(raw.bytes, hash: raw.hash, what: "\(what) \(raw.path)")
            return raw.thinned ? .thinned(dataset, removed: raw.removed) : .whole(dataset)
        }
    }

    /// The thinned fragment a compacted file keeps (for whichever key), checked against its SHA-256.
    public func compactedFragment(_ path: String) throws(HeadroomError) -> Dataset {
        let row = try run { db in
            try Row.fetchOne(db, sql: "SELECT fragment, fragmentHash FROM thin WHERE path = ?", arguments: [path])
        }
        guard let row, let bytes: Data = row["fragment"] else {
            throw Store.unusable(FragmentError("the thinned points of the compacted file \(path) are missing"))
        }
        return try Store.checked(bytes, hash: row["fragmentHash"], what: "what was stored thinned for \(path)")
    }

    /// Keeps a file's thinned fragment for `keepKey`; `latest` is the time of its latest point.
    public func saveThinned(
        _ path: String, keepKey: String, fragment: Data, removed: ClosedRange<Instant>?, latest: Instant?
    ) throws(HeadroomError) {
        try run { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO thin (path, keepKey, latest, removedFrom, removedTo, fragment, fragmentHash)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    path, keepKey, latest?.seconds, removed?.lowerBound.seconds, removed?.upperBound.seconds, fragment,
                    Store.sha256(fragment),
                ])
        }
    }

    /// Files thinned for `from` are thinned alike for `to`, except those at `except`, whose
    /// thinned fragments for `from` go.
    public func rekeyThinned(from: String, to: String, except: [String] = []) throws(HeadroomError) {
        try run { db in
            for path in except {
                try db.execute(sql: "DELETE FROM thin WHERE keepKey = ? AND path = ?", arguments: [from, path])
            }
            try db.execute(sql: "UPDATE thin SET keepKey = ? WHERE keepKey = ?", arguments: [to, from])
        }
    }

    /// A value a build keeps for the next one (such as the metrics it kept whole), or nil.
    public func setting(_ name: String) throws(HeadroomError) -> Data? {
        try run { db in try Data.fetchOne(db, sql: "SELECT value FROM setting WHERE name = ?", arguments: [name]) }
    }

    public func setSetting(_ name: String, _ value: Data) throws(HeadroomError) {
        try run { db in
            try db.execute(sql: "INSERT OR REPLACE INTO setting (name, value) VALUES (?, ?)", arguments: [name, value])
        }
    }

    /// The raw fragment bytes of `path`, for `store verify`.
    public func fragmentBytes(_ path: String) throws(HeadroomError) -> Data? {
        try run { db in try Data.fetchOne(db, sql: "SELECT fragment FROM file WHERE path = ?", arguments: [path]) }
    }

    /// Writes what a build read, re-stamps files whose content was found unchanged, and removes
    /// files deleted from their snapshots, in one transaction.
    public func save(
        _ added: [(entry: Entry, fragment: Data)], stamps: [(path: String, stamp: String)], removing: [String] = []
    ) throws(HeadroomError) {
        guard !added.isEmpty || !stamps.isEmpty || !removing.isEmpty else { return }
        try run { db in
            for path in removing + added.map(\.entry.path) {
                try db.execute(sql: "DELETE FROM thin WHERE path = ?", arguments: [path])
            }
            for path in removing { try db.execute(sql: "DELETE FROM file WHERE path = ?", arguments: [path]) }
            for (entry, fragment) in added {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO file
                        (path, week, stamp, contentHash, format, rawBytes, storedBytes, fragment, fragmentHash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        entry.path, entry.week, entry.stamp, entry.contentHash, entry.format, entry.rawBytes,
                        Int64(fragment.count), fragment, Store.sha256(fragment),
                    ])
            }
            for (path, stamp) in stamps {
                try db.execute(sql: "UPDATE file SET stamp = ? WHERE path = ?", arguments: [stamp, path])
            }
        }
    }

    /// Keeps `pages` (HeadroomKit packs them) as the week's published pages, made for `renderKey`,
    /// so that a build can publish them without the points they were made from.
    public func seal(week: String, renderKey: String, pruned: Bool, pages: Data) throws(HeadroomError) {
        try run { db in
            try db.execute(
                sql: "UPDATE week SET sealedPages = ?, sealedHash = ?, sealedKey = ?, sealedPruned = ? WHERE week = ?",
                arguments: [pages, Store.sha256(pages), renderKey, pruned, week])
        }
    }

    /// The pages `seal` kept of `week`, checked against their SHA-256; nil when it kept none.
    public func sealedPages(week: String) throws(HeadroomError) -> Data? {
        let row = try run { db in
            try Row.fetchOne(db, sql: "SELECT sealedPages, sealedHash FROM week WHERE week = ?", arguments: [week])
        }
        guard let row, let pages: Data = row["sealedPages"] else { return nil }
        guard Store.sha256(pages) == row["sealedHash"] else {
            throw Store.unusable(FragmentError("the pages stored for \(week) do not match their SHA-256"))
        }
        return pages
    }

    /// Drops the whole points of those files at `paths` that have a thinned fragment for `keepKey`:
    /// what the store keeps of them is that fragment (`Entry.compacted`). Returns how many.
    public func compact(_ paths: [String], keepKey: String) throws(HeadroomError) -> Int {
        guard !paths.isEmpty else { return 0 }
        let empty = Data()
        return try run { db in
            var count = 0
            for path in paths {
                guard
                    let size = try Int64.fetchOne(
                        db, sql: "SELECT length(fragment) FROM thin WHERE path = ? AND keepKey = ?",
                        arguments: [path, keepKey])
                else { continue }
                try db.execute(
                    sql:
                        "UPDATE file SET fragment = ?, fragmentHash = ?, storedBytes = ?, compacted = 1 WHERE path = ?",
                    arguments: [empty, Store.sha256(empty), size, path])
                count += 1
            }
            return count
        }
    }

    /// Removes every file of `week` from the store and gives the space back to the file system;
    /// returns how many files there were.
    public func forget(week: String) throws(HeadroomError) -> Int {
        let removed = try run { db in
            try db.execute(
                sql: "DELETE FROM thin WHERE path IN (SELECT path FROM file WHERE week = ?)", arguments: [week])
            try db.execute(sql: "DELETE FROM file WHERE week = ?", arguments: [week])
            let files = db.changesCount
            try db.execute(sql: "DELETE FROM week WHERE week = ?", arguments: [week])
            return files
        }
        do {
            if removed > 0 { try queue.vacuum() }
        } catch {
            throw Store.unusable(error)
        }
        return removed
    }

    /// Bytes of the store's file that hold nothing (freed by `compact` or `forget`): later weeks
    /// are written there first.
    public func freeBytes() throws(HeadroomError) -> Int64 {
        try run { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return pages * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
        }
    }

    /// Gives the free bytes back to the file system when they are more than half of the file (as
    /// after the first compaction of many weeks); fewer are left for the next weeks to reuse.
    public func shrinkWhenMostlyFree() throws(HeadroomError) {
        guard try freeBytes() * 2 > fileBytes else { return }
        do {
            try queue.vacuum()
        } catch {
            throw Store.unusable(error)
        }
    }

    /// SQLite's own check of every page: "ok", or what is wrong.
    public func integrity() throws(HeadroomError) -> String {
        try run { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// The size of the store's files on disk, in bytes.
    public var fileBytes: Int64 {
        ["", "-journal", "-wal"].reduce(0) { total, suffix in
            let path = folder.appending(path: Store.fileName + suffix).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            return total + (size ?? 0)
        }
    }

    /// Lower-case hex SHA-256 of `parts`, each preceded by its length so that no two lists of
    /// parts hash alike.
    public static func sha256(_ parts: Data...) -> String { sha256(parts: parts) }

    public static func sha256(parts: [Data]) -> String {
        var hasher = SHA256()
        for part in parts {
            if parts.count > 1 {
                var length = UInt64(part.count).littleEndian
                withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            }
            hasher.update(data: part)
        }
        return hasher.finalize().map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    private func run<T>(_ body: (Database) throws -> T) throws(HeadroomError) -> T {
        do {
            return try queue.write(body)
        } catch let error as HeadroomError {
            throw error
        } catch {
            throw Store.unusable(error)
        }
    }

    /// A file whose whole points a build needs, when the store kept only its thinned points.
    static func compactedError(_ path: String, week: String?) -> HeadroomError {
        HeadroomError(
            .ingest, file: Store.display,
            "the store keeps only thinned points of \(path) (its snapshot is gone), and this build needs every point of it",
            remedy: week.map {
                "restore the week's snapshots from their archive (tar -xzf snapshots-\($0).tar.gz -C snapshots, from the CI artifact or HEADROOM_ARCHIVE), then build again"
            } ?? "put the file back, then build again")
    }

    /// A store SQLite cannot use: damaged, or (a full disk, no permission, an I/O error) unwritable
    /// where it stands. Only damage is rebuilt: rebuilding a store the disk cannot hold loses the
    /// weeks whose snapshots are gone, and fixes nothing.
    static func unusable(_ error: any Error) -> HeadroomError {
        var message = "\(error)"
        if let database = error as? DatabaseError {
            message = database.message ?? "\(database.resultCode)"
            let unwritable: [ResultCode] = [
                .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM,
            ]
            if unwritable.contains(database.resultCode.primaryResultCode) {
                return HeadroomError(
                    .ingest, file: display, "the history store cannot be written: \(message)",
                    remedy:
                        "free space on the disk that holds .headroom/ (or let this user write there), then build again; the store is kept as it was"
                )
            }
        }
        return HeadroomError(
            .ingest, file: display, "the history store cannot be read: \(message)",
            remedy:
                "run the build again with --rebuild-store to rebuild it from the snapshots (a week whose snapshots were removed must first be restored from the CI cache or the snapshot archive)"
        )
    }
}
