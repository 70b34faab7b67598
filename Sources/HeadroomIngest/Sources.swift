import Foundation
import HeadroomModel

/// Finds the input files of a report project, detects each one's format and reads it.
public enum Sources {
    /// Input files larger than this are refused rather than read into memory.
    public static let maximumFileSize = 512 * 1024 * 1024

    public struct Result: Sendable {
        public var series: [MetricSeries] = []
        public var files: [SourceFile] = []
    }

    /// The query file that belongs to a results file: `a/b.json` → `a/b.query.json`.
    public static func sidecarName(for file: String) -> String {
        (file.hasSuffix(".json") ? String(file.dropLast(5)) : file) + ".query.json"
    }

    /// Reads every source of `configuration`, relative to `projectDirectory`.
    /// Files are visited in sorted order so that the result is deterministic.
    public static func read(
        _ configuration: Configuration, projectDirectory: URL, log: (String) -> Void = { _ in }
    ) throws(HeadroomError) -> Result {
        var result = Result()
        for source in configuration.sources {
            let root = URL(fileURLWithPath: source.path, relativeTo: projectDirectory).standardizedFileURL
            let files = try listFiles(root, display: source.path)
            let names = Set(files)
            for file in files {
                let display = relativePath(file, to: projectDirectory)
                if file.hasSuffix(".query.json"), names.contains(String(file.dropLast(11)) + ".json") {
                    continue  // read together with its results file
                }
                guard file.hasSuffix(".json") else { continue }
                do {
                    let sidecar = sidecarName(for: file)
                    let (series, format) = try readFile(
                        file, display: display, sidecar: names.contains(sidecar) ? sidecar : nil,
                        sidecarDisplay: relativePath(sidecar, to: projectDirectory), forced: source.format)
                    if let format {
                        let warnings = Array(Set(series.flatMap(\.warnings))).sorted()
                        result.files.append(
                            SourceFile(
                                path: display, status: .read(format), seriesCount: series.count, warnings: warnings))
                        result.series += series
                        log("read \(display): \(format.rawValue), \(series.count) series")
                    } else {
                        result.files.append(SourceFile(path: display, status: .unrecognised))
                        log("skipped \(display): not a format this version reads")
                    }
                } catch {
                    guard configuration.onInvalidInput == .warn else { throw error }
                    result.files.append(SourceFile(path: display, status: .invalid(error.description)))
                    log("skipped invalid \(error.description)")
                }
            }
        }
        return result
    }

    private static func readFile(
        _ path: String, display: String, sidecar: String?, sidecarDisplay: String, forced: SourceFormat?
    ) throws(HeadroomError) -> ([MetricSeries], SourceFormat?) {
        let json = try parseJSON(at: path, display: display)
        let format: SourceFormat?
        if let forced {
            format = forced
        } else if CloudWatchGetMetricData.matches(json) {
            format = .cloudWatchGetMetricData
        } else {
            format = nil
        }
        switch format {
        case .cloudWatchGetMetricData:
            var queries: (json: JSONValue, file: String)?
            if let sidecar { queries = (try parseJSON(at: sidecar, display: sidecarDisplay), sidecarDisplay) }
            return (try CloudWatchGetMetricData.read(json, file: display, queries: queries), format)
        case nil:
            return ([], nil)
        }
    }

    /// Reads and parses one JSON file, turning every failure into an error that names it.
    public static func parseJSON(at path: String, display: String) throws(HeadroomError) -> JSONValue {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > maximumFileSize {
                throw HeadroomError(
                    .ingest, file: display, "the file is \(size) bytes, over the limit of \(maximumFileSize)",
                    remedy: "split the export into smaller files")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as HeadroomError {
            throw error
        } catch {
            throw HeadroomError(.ingest, file: display, "cannot read the file", underlying: error)
        }
        do {
            return try JSONParser.parse(data)
        } catch {
            throw HeadroomError(
                .ingest, file: display, position: .line(error.line, column: error.column),
                "invalid JSON: \(error.message)", remedy: "save the AWS CLI output unchanged (--output json)")
        }
    }

    private static func listFiles(_ root: URL, display: String) throws(HeadroomError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw HeadroomError(
                .configuration, file: display, "the source does not exist",
                remedy: "create it, or correct its path under sources: in headroom.yml")
        }
        guard isDirectory.boolValue else { return [root.path] }
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: [String] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url.standardizedFileURL.path)
        }
        return files.sorted()
    }

    /// `path` relative to `directory` when inside it, else unchanged.
    public static func relativePath(_ path: String, to directory: URL) -> String {
        let base = directory.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
