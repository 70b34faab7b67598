import Foundation
import HeadroomAnalysis
import HeadroomIngest
import HeadroomModel
import HeadroomStore

#if canImport(Glibc)
    import Glibc
#endif

/// Reading the sources through the history store: each input file is parsed once, known by its
/// content, and a file whose snapshot was removed after it was stored is read from the store.
enum Ingestion {
    /// What the step did with the files: parsed, taken from the store unchanged, or taken from the
    /// store because the snapshot is gone.
    struct Counts: Sendable, Equatable {
        var parsed = 0
        var unchanged = 0
        var storeOnly = 0
        /// Stored files gone from a week folder that is still there: removed from the store.
        var deleted = 0
    }

    /// One input file's records, with the week folder it sits in and its content hash: what a
    /// week's report is made from (`Weeks`).
    struct File: Sendable {
        var path: String
        var week: ISOWeek?
        var contentHash: String
        /// Thinned before the week before the review week (`Analysis.thinned`): the store has it whole.
        var fragment: Dataset
        /// The span of the points thinning left out; nil when the fragment is whole.
        var removed: ClosedRange<Instant>?
        /// Its snapshot is gone (its week folder is): only the store has it.
        var storeOnly = false
        /// The store keeps only its thinned points (`Store.compact`).
        var compacted = false

        /// The fragment thinned again, with the span of the points that thinning left out added.
        mutating func thinned(to fragment: Dataset, removing span: ClosedRange<Instant>?) {
            self.fragment = fragment
            guard let span else { return }
            removed = removed.map { min($0.lowerBound, span.lowerBound)...max($0.upperBound, span.upperBound) } ?? span
        }
    }

    struct Result {
        /// Every file's records, in the order a build from all snapshots reads them.
        var dataset: Dataset
        var files: [File]
        var counts: Counts
        /// Kept open, and so locked, for the rest of the build.
        var store: Store
        /// The key of the metrics kept whole (`Analysis.wholeMetrics`) that the store's thinned
        /// fragments are kept for from now on.
        var keepKey: String
        /// The metrics kept whole (`Analysis.wholeMetrics`) that `keepKey` is the key of.
        var keep: Analysis.WholeMetrics
        /// What the user should know: points a compacted file no longer has.
        var warnings: [String] = []

        /// The step's line: what was read, and what was not because the store had it.
        var summary: String {
            var skipped: [String] = []
            if counts.unchanged > 0 { skipped.append("\(counts.unchanged) unchanged") }
            if counts.storeOnly > 0 { skipped.append("\(counts.storeOnly) only in the store") }
            if counts.deleted > 0 {
                skipped.append("\(counts.deleted) dropped from the store, deleted from their week")
            }
            return plural(dataset.sources.count, "file")
                + (skipped.isEmpty ? "" : " (\(counts.parsed) read, " + skipped.joined(separator: ", ") + ")")
                + ", " + plural(dataset.series.count, "series", "series") + ", " + plural(dataset.recordCount, "record")
        }
    }

    /// Reads every input through the store. Each file's points before the week before the review
    /// week (the configured week, else the latest week folder) are thinned as soon as it is read,
    /// so the step holds about two weeks of points however many weeks the store has.
    static func read(
        _ configuration: Configuration, project: URL, store: Store, catalog: ServiceCatalog, log: (String) -> Void
    ) throws(HeadroomError) -> Result {
        let stored = try store.entries()
        let inputs = try Sources.inputs(configuration, projectDirectory: project) { root in
            stored.keys.contains { within(root, absolute(of: $0, in: project)) }
        }
        var counts = Counts()
        var stamps: [(path: String, stamp: String)] = []
        var dataset = Dataset()
        var files: [File] = []
        let (items, deleted) = plan(inputs, stored: stored, configuration: configuration, project: project)
        for path in deleted { log("deleted from its snapshots, so from the store: \(path)") }
        counts.deleted = deleted.count
        let latest =
            configuration.week
            ?? items.compactMap { item -> ISOWeek? in
                switch item {
                case .file(let input): ISOWeek.folder(of: input.display)?.week
                case .storeOnly(let entry): ISOWeek.folder(of: entry.path)?.week
                }
            }.max()
        let zone = configuration.zone
        let whole = latest.map { $0.previous.interval(in: zone).lowerBound..<Instant(seconds: .max) }
        // The metrics kept whole: those the last build found, until this one has read its SLIs
        // and quotas. A file whose points all lie before `whole` is kept thinned in the store, for
        // that list.
        let decoder = JSONDecoder()
        let initial =
            try store.setting(Self.wholeMetricsSetting).flatMap {
                try? decoder.decode(Analysis.WholeMetrics.self, from: $0)
            }
            ?? Analysis.wholeMetrics(Dataset(), catalog: catalog)
        let initialKey = Store.sha256(Data(initial.text.utf8))
        func thin(
            _ path: String, _ fragment: Dataset, keep: Analysis.WholeMetrics, keepKey: String
        ) throws(HeadroomError) -> (
            Dataset, ClosedRange<Instant>?
        ) {
            guard let whole else { return (fragment, nil) }
            let (thinned, removed, latest) = Analysis.thinned(fragment, whole: whole, keep: keep)
            // Kept when thinning left points out, and would leave the same out for any later week.
            if removed != nil, let latest, latest < whole.lowerBound {
                try store.saveThinned(
                    path, keepKey: keepKey, fragment: try Fragment.encode(thinned),
                    removed: removed, latest: latest)
            }
            return (thinned, removed)
        }
        // The files only the store has (most of them once snapshots are removed after each week),
        // taken from it at once and decoded on every core: thinned, or whole for the weeks read
        // whole anyway (the review week and the week before); others whole, one at a time below.
        let storeOnly = items.compactMap { item -> (path: String, whole: Bool)? in
            guard case .storeOnly(let entry) = item else { return nil }
            let week = ISOWeek.folder(of: entry.path)?.week
            return (entry.path, week.map { week in latest.map { week >= $0.previous } ?? true } ?? false)
        }
        var prefetched: [String: Store.Kept] = [:]
        /// The file from the store: thinned as the store keeps it, else whole and thinned now.
        func fromStore(_ path: String) throws(HeadroomError) -> (Dataset, ClosedRange<Instant>?) {
            switch prefetched.removeValue(forKey: path) {
            case .thinned(let fragment, let removed): return (fragment, removed)
            case .whole(let fragment): return try thin(path, fragment, keep: initial, keepKey: initialKey)
            case nil: break
            }
            if let whole,
                let kept = try store.thinned(path, keepKey: initialKey, before: whole.lowerBound)
            {
                return kept
            }
            return try thin(path, try store.fragment(path), keep: initial, keepKey: initialKey)
        }
        var loaded: [Int: Loaded] = [:]
        // The files on disk first, then those only the store has, each into its place in path
        // order: the new week's files are parsed (the step's largest passing need of memory)
        // before the stored weeks are decoded. Their lines are logged in path order at the end.
        var made = [File?](repeating: nil, count: items.count)
        var lines = [String](repeating: "", count: items.count)
        for (index, item) in items.enumerated() {
            let fragment: Dataset
            let removed: ClosedRange<Instant>?
            let path: String
            let contentHash: String
            switch item {
            case .storeOnly: continue
            case .file(let input):
                if loaded[index] == nil {
                    // This file and the next, when it is one too, are read and parsed at once, one
                    // per core; what becomes of them is applied in order, as before.
                    let batch = items.indices[index...].prefix(2).filter {
                        if case .file = items[$0] { true } else { false }
                    }
                    let results = try batch.concurrentMapOfValues { at throws(HeadroomError) -> Loaded in
                        guard case .file(let input) = items[at] else { preconditionFailure() }
                        return try load(input, entry: stored[input.display], policy: configuration.onInvalidInput)
                    }
                    for (at, result) in zip(batch, results) { loaded[at] = result }
                }
                let file = loaded.removeValue(forKey: index)!
                path = input.display
                switch file.outcome {
                case .sameStamp(let hash):
                    contentHash = hash
                    (fragment, removed) = try fromStore(input.display)
                    counts.unchanged += 1
                    lines[index] = "unchanged \(input.display)"
                case .sameContent(let hash):
                    contentHash = hash
                    (fragment, removed) = try fromStore(input.display)
                    stamps.append((input.display, file.stamp))
                    counts.unchanged += 1
                    lines[index] = "unchanged (same content) \(input.display)"
                case .read(let hash, let read, let encoded, let rawBytes):
                    contentHash = hash
                    if input.refusal == nil { counts.parsed += 1 }
                    lines[index] = Sources.describe(read.sources[0])
                    // Invalid and not-read files are stored too, as their rows: an archived week lists
                    // them as a build from its snapshots would. The policy is part of the stamp.
                    var format: String?
                    if case .read(let read) = read.sources[0].status { format = read.rawValue }
                    let new = Store.Entry(
                        path: input.display, week: ISOWeek.folder(of: input.display)?.week.description,
                        stamp: file.stamp, contentHash: hash, format: format, rawBytes: rawBytes, storedBytes: 0)
                    // Stored at once, each file in its own transaction: a killed build keeps what it
                    // read, and the encoded bytes are not held for the whole step.
                    try store.save([(new, encoded)], stamps: [])
                    (fragment, removed) = try thin(input.display, read, keep: initial, keepKey: initialKey)
                }
            }
            made[index] = File(
                path: path, week: ISOWeek.folder(of: path)?.week, contentHash: contentHash, fragment: fragment,
                removed: removed)
        }
        for (item, kept) in zip(storeOnly, try store.kept(storeOnly, keepKey: initialKey, before: whole?.lowerBound)) {
            if let kept { prefetched[item.path] = kept }
        }
        for (index, item) in items.enumerated() {
            guard case .storeOnly(let entry) = item else { continue }
            let (fragment, removed) = try fromStore(entry.path)
            counts.storeOnly += 1
            lines[index] = "from the store (the snapshot is gone) \(entry.path)"
            made[index] = File(
                path: entry.path, week: ISOWeek.folder(of: entry.path)?.week, contentHash: entry.contentHash,
                fragment: fragment, removed: removed, storeOnly: true, compacted: entry.compacted)
        }
        for (index, file) in made.enumerated() {
            log(lines[index])
            dataset.append(file!.fragment)
            files.append(file!)
        }
        try store.save([], stamps: stamps, removing: deleted)
        // The SLIs and quotas read may name other metrics to keep whole: a file that thinned one
        // is taken whole from the store again and thinned by the new list, which the next build
        // starts from.
        let keep = Analysis.wholeMetrics(dataset, catalog: catalog)
        var keepKey = initialKey
        var warnings: [String] = []
        if keep != initial {
            keepKey = Store.sha256(Data(keep.text.utf8))
            var stale: [String] = []
            var lost: (files: Int, metrics: Set<String>, weeks: Set<ISOWeek>) = (0, [], [])
            for index in files.indices
            where files[index].fragment.series.contains(where: { keep.contains($0) && !initial.contains($0) }) {
                stale.append(files[index].path)
                guard files[index].removed != nil, !files[index].compacted else { continue }
                (files[index].fragment, files[index].removed) = try thin(
                    files[index].path, try store.fragment(files[index].path), keep: keep, keepKey: keepKey)
            }
            // What the store keeps thinned by the old list stands for the new one when the new
            // one only adds metrics, except for the files that have one of those.
            if keep.covers(initial) {
                try store.rekeyThinned(from: initialKey, to: keepKey, except: stale)
            }
            // A compacted file has only its thinned points: thinned again for the new list, less
            // the series the new list reads whole, whose points are gone with the snapshot.
            for index in files.indices where files[index].compacted {
                guard let whole else { break }
                var fragment = files[index].fragment
                let count = fragment.series.count
                for series in fragment.series where keep.contains(series) && !initial.contains(series) {
                    lost.metrics.insert(series.stat.map { "\($0.namespace) \($0.metricName)" } ?? series.label)
                }
                fragment.series.removeAll { keep.contains($0) && !initial.contains($0) }
                if fragment.series.count < count {
                    lost.files += 1
                    if let week = files[index].week { lost.weeks.insert(week) }
                }
                let (thinned, removed, latest) = Analysis.thinned(fragment, whole: whole, keep: keep)
                files[index].thinned(to: thinned, removing: removed)
                try store.saveThinned(
                    files[index].path, keepKey: keepKey, fragment: try Fragment.encode(thinned),
                    removed: files[index].removed, latest: latest)
            }
            if lost.files > 0 {
                let weeks = lost.weeks.sorted()
                warnings.append(
                    "\(plural(lost.files, "compacted file")) of "
                        + (weeks.count > 1
                            ? "\(weeks.first!)–\(weeks.last!)" : weeks.first.map(\.description) ?? "the store")
                        + " kept only thinned points of what is now read point by point (an SLO or a quota reads "
                        + lost.metrics.sorted().prefix(3).joined(separator: ", ")
                        + (lost.metrics.count > 3 ? ", …" : "")
                        + "): those weeks count as no data for it; restore their snapshots from their archive to count them"
                )
            }
            if !stale.isEmpty || lost.files > 0 {
                dataset = Dataset()
                for file in files { dataset.append(file.fragment) }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(keep) { try store.setSetting(Self.wholeMetricsSetting, data) }
        }
        return Result(
            dataset: dataset, files: files, counts: counts, store: store, keepKey: keepKey, keep: keep,
            warnings: warnings)
    }

    /// What reading an input file found: its stamp, and that it is unchanged (by its stamp or
    /// its content hash) or what was read from it, encoded for the store.
    struct Loaded {
        enum Outcome {
            case sameStamp(hash: String)
            case sameContent(hash: String)
            case read(hash: String, dataset: Dataset, encoded: Data, rawBytes: Int64)
        }
        var stamp: String
        var outcome: Outcome
    }

    /// Reads one input unless the store has it by its stamp or its content: no store access, so
    /// that two files can be read at once.
    static func load(
        _ input: Sources.Input, entry: Store.Entry?, policy: Configuration.InvalidInputPolicy
    ) throws(HeadroomError) -> Loaded {
        let stamp = try stamp(input, policy: policy)
        // A compacted file whose snapshot is back is read again, and stored whole again.
        let entry = entry?.compacted == true ? nil : entry
        if let entry, entry.stamp == stamp { return Loaded(stamp: stamp, outcome: .sameStamp(hash: entry.contentHash)) }
        // A file of another extension is listed with the reason, and never opened.
        let data =
            input.refusal != nil ? Data() : try Sources.load(input.path, display: input.display, root: input.root)
        let sidecar = try input.sidecar.map { path throws(HeadroomError) in
            try Sources.load(path, display: input.sidecarDisplay ?? path, root: input.root)
        }
        let hash = Store.sha256(
            data, sidecar ?? Data(), Data((input.reading + "|" + policy.rawValue).utf8),
            Data((input.refusal ?? "").utf8), Data(Sources.parserVersion.utf8))
        if let entry, entry.contentHash == hash { return Loaded(stamp: stamp, outcome: .sameContent(hash: hash)) }
        let read = try Sources.read(input, data: data, sidecar: sidecar, policy: policy)
        return Loaded(
            stamp: stamp,
            outcome: .read(
                hash: hash, dataset: read, encoded: try Fragment.encode(read),
                rawBytes: Int64(data.count + (sidecar?.count ?? 0))))
    }

    /// The store's setting that holds the metrics the last build kept whole.
    static let wholeMetricsSetting = "wholeMetrics"

    enum Item {
        case file(Sources.Input)
        case storeOnly(Store.Entry)
    }

    /// The files on disk and the stored files whose week folder is gone, in the order a build from
    /// all snapshots would read them: source by source, in path order. A stored file that is
    /// missing from a week folder still on disk (a week collected again with fewer files), or that
    /// sits in no week folder, was deleted: it is left out, and returned to be removed.
    static func plan(
        _ inputs: [Sources.Input], stored: [String: Store.Entry], configuration: Configuration, project: URL
    ) -> (items: [Item], deleted: [String]) {
        var onDisk = Set(inputs.map(\.display))
        for input in inputs { if let sidecar = input.sidecarDisplay { onDisk.insert(sidecar) } }
        var archived: [Store.Entry] = []
        var deleted: [String] = []
        for entry in stored.values where !onDisk.contains(entry.path) {
            if let folder = ISOWeek.folder(of: entry.path)?.folder,
                !FileManager.default.fileExists(atPath: project.appending(path: folder).path)
            {
                archived.append(entry)
            } else {
                deleted.append(entry.path)
            }
        }
        let roots = Sources.roots(configuration, projectDirectory: project)
        var claimed: Set<String> = []
        var items: [Item] = []
        for (index, root) in roots.enumerated() {
            var source: [(path: String, item: Item)] = inputs.filter { $0.sourceIndex == index }
                .map { ($0.path, .file($0)) }
            for entry in archived where !claimed.contains(entry.path) {
                let path = absolute(of: entry.path, in: project)
                if within(root, path) {
                    source.append((path, .storeOnly(entry)))
                    claimed.insert(entry.path)
                }
            }
            items += source.sorted { $0.path < $1.path }.map(\.item)
        }
        return (items, deleted.sorted())
    }

    /// The absolute path of a stored path (relative to the project).
    static func absolute(of path: String, in project: URL) -> String {
        URL(fileURLWithPath: path, relativeTo: project).standardizedFileURL.path
    }

    /// Whether `path` is the source `root` or inside it.
    static func within(_ root: URL, _ path: String) -> Bool {
        path == root.path || path.hasPrefix(root.path + "/")
    }

    /// Size and modification time (in nanoseconds) of a file and of its query file, and how it is
    /// read (source settings, parser version, `onInvalidInput`): what says "unchanged" without
    /// opening the file.
    static func stamp(
        _ input: Sources.Input, policy: Configuration.InvalidInputPolicy
    ) throws(HeadroomError) -> String {
        // A refused file (a link out of the project, a FIFO) is described by itself, never followed.
        func describe(_ path: String, _ display: String) throws(HeadroomError) -> String {
            var info = stat()
            guard (input.refusal == nil ? stat(path, &info) : lstat(path, &info)) == 0 else {
                throw HeadroomError(
                    .ingest, file: display, "cannot read the file: \(String(cString: strerror(errno)))")
            }
            return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        var parts = [try describe(input.path, input.display)]
        if let sidecar = input.sidecar { parts.append(try describe(sidecar, input.sidecarDisplay ?? sidecar)) }
        return parts.joined(separator: ";") + "|" + input.reading + "|parser " + Sources.parserVersion
            + "|on invalid input " + policy.rawValue
    }
}
