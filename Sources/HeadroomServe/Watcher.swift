import Foundation

/// The project's files as `serve` watches them: every file under the project folder with its
/// size and modification time, except the output folder, the history store and hidden folders.
/// Polling, not inotify: it works the same on every file system and in containers, and a
/// project's few thousand files are listed in milliseconds.
public struct ProjectWatcher: Sendable {
    public struct Stamp: Equatable, Sendable {
        var size: Int
        var modified: Date
    }

    public let project: URL
    /// Folders not watched (the site itself, which every build rewrites).
    public let ignored: [URL]

    public init(project: URL, ignored: [URL]) {
        self.project = project.standardizedFileURL
        self.ignored = ignored.map(\.standardizedFileURL)
    }

    /// Every watched file with its stamp.
    public func scan() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        let keys: [URLResourceKey] = [.isDirectoryKey, .fileSizeKey, .contentModificationDateKey]
        guard
            let walker = FileManager.default.enumerator(
                at: project, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        else { return stamps }
        let skipped = Set(ignored.map(\.path))
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            guard let values = try? url.resourceValues(forKeys: Set(keys)) else { continue }
            if values.isDirectory == true {
                if skipped.contains(path) { walker.skipDescendants() }
                continue
            }
            stamps[path] = Stamp(size: values.fileSize ?? -1, modified: values.contentModificationDate ?? .distantPast)
        }
        return stamps
    }

    /// The files added, changed or removed between two scans, sorted.
    public static func changes(from old: [String: Stamp], to new: [String: Stamp]) -> [String] {
        let changed = new.filter { old[$0.key] != $0.value }.map(\.key)
        let removed = old.keys.filter { new[$0] == nil }
        return (changed + removed).sorted()
    }
}

/// When to rebuild: a burst of changes gives one build once the files have been quiet for
/// `quiet`; changes that arrive while a build runs give exactly one more build after it.
public struct Debounce: Sendable {
    public let quiet: TimeInterval
    private(set) var lastChange: TimeInterval?
    private(set) var pending = false

    public init(quiet: TimeInterval) { self.quiet = quiet }

    /// Files changed at `now`.
    public mutating func changed(at now: TimeInterval) {
        lastChange = now
        pending = true
    }

    /// Whether a build should start at `now`; if so, the pending changes are taken by it.
    public mutating func shouldBuild(at now: TimeInterval) -> Bool {
        guard pending, let lastChange, now - lastChange >= quiet else { return false }
        pending = false
        return true
    }
}
