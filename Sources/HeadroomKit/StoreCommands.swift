import Foundation
import HeadroomIngest
import HeadroomModel
import HeadroomSite
import HeadroomStore

/// `headroom store status | verify | forget WEEK`: the history store of a report project.
public enum StoreCommands {
    /// One week's files in the store (week nil: files outside a week folder, such as SLOs).
    public struct WeekRow: Sendable, Equatable {
        public var week: String?
        public var files: Int
        /// Of those, how many still have their snapshot on disk.
        public var onDisk: Int
        /// Of those, how many the store keeps only thinned (`Store.compact`).
        public var compacted: Int
        public var rawBytes: Int64
        public var storedBytes: Int64
        /// The bytes of the week's report and of its sealed pages (`Store.seal`).
        public var reportBytes: Int64 = 0
        public var pageBytes: Int64 = 0
        public var formats: [String]
    }

    public struct Status: Sendable {
        public var weeks: [WeekRow]
        public var fileBytes: Int64
        /// Of those, the bytes that hold nothing, which later weeks reuse (`Store.freeBytes`).
        public var freeBytes: Int64

        /// The table `headroom store status` prints.
        public var text: String {
            let raw = weeks.reduce(0) { $0 + $1.rawBytes }
            let files = weeks.reduce(0) { $0 + $1.files }
            var lines = [
                "\(Store.display): \(Format.grouped(fileBytes)) bytes on disk"
                    + (freeBytes > 0 ? " (\(Format.grouped(freeBytes)) free, for the next weeks)" : "")
                    + " for \(Format.grouped(raw)) bytes of snapshots, "
                    + plural(files, "file") + " in " + plural(weeks.filter { $0.week != nil }.count, "week")
            ]
            if weeks.isEmpty {
                lines.append("Nothing stored yet: headroom build stores what it reads.")
                return lines.joined(separator: "\n") + "\n"
            }
            let header = [
                "week", "files", "on disk", "compacted", "snapshot bytes", "stored bytes", "report bytes", "page bytes",
                "sources",
            ]
            var rows = [header]
            for row in weeks {
                rows.append([
                    row.week ?? "(no week)", "\(row.files)", "\(row.onDisk)", "\(row.compacted)",
                    Format.grouped(row.rawBytes),
                    Format.grouped(row.storedBytes), Format.grouped(row.reportBytes), Format.grouped(row.pageBytes),
                    row.formats.joined(separator: ", "),
                ])
            }
            let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                lines.append(
                    row.indices.map { column in
                        let cell = row[column]
                        let pad = String(repeating: " ", count: widths[column] - cell.count)
                        // Text left, numbers right.
                        return column == 0 || column == row.count - 1 ? cell + pad : pad + cell
                    }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    public static func status(configuration path: String) throws(HeadroomError) -> Status {
        let (store, configuration, project) = try open(path)
        let inputs = try Sources.inputs(configuration, projectDirectory: project) { _ in true }
        let onDisk = Set(inputs.map(\.display))
        var byWeek: [String?: WeekRow] = [:]
        for entry in try store.entries().values {
            var row =
                byWeek[entry.week]
                ?? WeekRow(
                    week: entry.week, files: 0, onDisk: 0, compacted: 0, rawBytes: 0, storedBytes: 0, formats: [])
            row.files += 1
            if entry.compacted { row.compacted += 1 }
            if onDisk.contains(entry.path) { row.onDisk += 1 }
            row.rawBytes += entry.rawBytes
            row.storedBytes += entry.storedBytes
            if let format = entry.format, !row.formats.contains(format) { row.formats.append(format) }
            byWeek[entry.week] = row
        }
        let sizes = try store.weekBytes()
        let weeks = byWeek.values.map { row in
            var row = row
            row.formats.sort()
            if let week = row.week, let size = sizes[week] { (row.reportBytes, row.pageBytes) = size }
            return row
        }.sorted { ($0.week ?? "") < ($1.week ?? "") }
        return Status(weeks: weeks, fileBytes: store.fileBytes, freeBytes: try store.freeBytes())
    }

    /// What `store verify` found for one stored file.
    public enum Finding: Sendable, Equatable {
        /// Read again from its snapshot: the same records as stored.
        case same(String)
        /// Read again: other records than stored (the snapshot changed since, or the store is wrong).
        case differs(String, reason: String)
        /// The snapshot is gone; the store's copy checks out against its SHA-256.
        case storeOnly(String)
    }

    public struct Verification: Sendable {
        public var integrity: String
        public var findings: [Finding]
        public var passed: Bool {
            integrity == "ok" && !findings.contains { if case .differs = $0 { true } else { false } }
        }
    }

    /// Checks every page of the store (SQLite's integrity check) and every stored file: read again
    /// from its snapshot when present and compared record for record, else checked against the
    /// SHA-256 it was stored with.
    public static func verify(
        configuration path: String, progress: (Finding) -> Void = { _ in }
    ) throws(HeadroomError) -> Verification {
        let (store, configuration, project) = try open(path)
        let integrity = try store.integrity()
        let inputs = Dictionary(
            try Sources.inputs(configuration, projectDirectory: project) { _ in true }.map { ($0.display, $0) },
            uniquingKeysWith: { first, _ in first })
        var findings: [Finding] = []
        let entries = try store.entries()
        for path in entries.keys.sorted() {
            let finding: Finding
            do {
                // A compacted file keeps only thinned points: they check out, and its snapshot,
                // when it is back, has the content it was stored from.
                if entries[path]!.compacted {
                    _ = try store.compactedFragment(path)
                    if let input = inputs[path],
                        case .read(let hash, _, _, _) = try Ingestion.load(
                            input, entry: nil, policy: configuration.onInvalidInput
                        ).outcome,
                        hash != entries[path]!.contentHash
                    {
                        finding = .differs(
                            path, reason: "the snapshot is not the one whose thinned points the store keeps")
                    } else {
                        finding = inputs[path] == nil ? .storeOnly(path) : .same(path)
                    }
                    progress(finding)
                    findings.append(finding)
                    continue
                }
                let stored = try store.fragment(path)
                if let input = inputs[path] {
                    let fresh = try Sources.read(input, data: nil, policy: .fail)
                    finding =
                        try Fragment.encode(fresh) == Fragment.encode(stored)
                        ? .same(path) : .differs(path, reason: difference(stored, fresh))
                } else {
                    finding = .storeOnly(path)
                }
            } catch {
                finding = .differs(path, reason: error.description)
            }
            progress(finding)
            findings.append(finding)
        }
        return Verification(integrity: integrity, findings: findings)
    }

    /// Removes a week from the store; returns how many files it held. A week the store does not
    /// hold is an error that lists the weeks it does.
    public static func forget(configuration path: String, week: String) throws(HeadroomError) -> Int {
        guard ISOWeek(week) != nil else {
            throw HeadroomError(.usage, "'\(week)' is not an ISO week", remedy: "give a week such as 2026-W47")
        }
        let (store, _, _) = try open(path)
        let removed = try store.forget(week: week)
        if removed == 0 {
            let weeks = Set(try store.entries().values.compactMap(\.week)).sorted()
            throw HeadroomError(
                .usage, file: Store.display, "the store holds nothing of \(week)",
                remedy: weeks.isEmpty ? "nothing is stored yet" : "it holds " + weeks.joined(separator: ", "))
        }
        return removed
    }

    private static func open(_ path: String) throws(HeadroomError) -> (Store, Configuration, URL) {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let configuration = try ConfigurationLoader.load(from: url, display: path)
        let project = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: project.appending(path: Store.display).path) else {
            throw HeadroomError(
                .usage, file: Store.display, "there is no history store yet",
                remedy: "headroom build creates it (in \(Store.folderName)/ beside headroom.yml)")
        }
        return (try Store(project: project), configuration, project)
    }

    /// The first kind of record whose count differs, for the message.
    private static func difference(_ stored: Dataset, _ fresh: Dataset) -> String {
        let kinds: [(String, Int, Int)] = [
            ("series", stored.series.count, fresh.series.count),
            (
                "points", stored.series.reduce(0) { $0 + $1.points.count },
                fresh.series.reduce(0) { $0 + $1.points.count }
            ),
            ("records", stored.recordCount, fresh.recordCount),
        ]
        for (kind, old, new) in kinds where old != new {
            return "\(kind): \(Format.grouped(Int64(old))) stored, \(Format.grouped(Int64(new))) in the snapshot"
        }
        return "the same counts, other values"
    }
}
