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
        public var rawBytes: Int64
        public var storedBytes: Int64
        public var formats: [String]
    }

    public struct Status: Sendable {
        public var weeks: [WeekRow]
        public var fileBytes: Int64

        /// The table `headroom store status` prints.
        public var text: String {
            let raw = weeks.reduce(0) { $0 + $1.rawBytes }
            let files = weeks.reduce(0) { $0 + $1.files }
            var lines = [
                "\(Store.display): \(Format.grouped(fileBytes)) bytes on disk for \(Format.grouped(raw)) bytes of snapshots, "
                    + plural(files, "file") + " in " + plural(weeks.filter { $0.week != nil }.count, "week")
            ]
            if weeks.isEmpty {
                lines.append("Nothing stored yet: headroom build stores what it reads.")
                return lines.joined(separator: "\n") + "\n"
            }
            let header = ["week", "files", "on disk", "snapshot bytes", "stored bytes", "sources"]
            var rows = [header]
            for row in weeks {
                rows.append([
                    row.week ?? "(no week)", "\(row.files)", "\(row.onDisk)", Format.grouped(row.rawBytes),
                    Format.grouped(row.storedBytes), row.formats.joined(separator: ", "),
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
                ?? WeekRow(week: entry.week, files: 0, onDisk: 0, rawBytes: 0, storedBytes: 0, formats: [])
            row.files += 1
            if onDisk.contains(entry.path) { row.onDisk += 1 }
            row.rawBytes += entry.rawBytes
            row.storedBytes += entry.storedBytes
            if let format = entry.format, !row.formats.contains(format) { row.formats.append(format) }
            byWeek[entry.week] = row
        }
        let weeks = byWeek.values.map { row in
            var row = row
            row.formats.sort()
            return row
        }.sorted { ($0.week ?? "") < ($1.week ?? "") }
        return Status(weeks: weeks, fileBytes: store.fileBytes)
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
        for path in try store.entries().keys.sorted() {
            let finding: Finding
            do {
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
