import Foundation
import HeadroomModel
import Yams

/// Finds the input files of a report project, detects each one's format by content and reads it
/// with that format's adapter.
///
/// Rules that hold for every format:
/// - Files are visited in sorted path order, so the result is deterministic.
/// - `<stem>.query.json` beside `<stem>.<ext>` is that file's query (what was asked for); it is
///   read with it, not on its own.
/// - JSON (`.json`), text (`.log`, `.txt`), YAML (`.yaml`, `.yml`) and CSV (`.csv`, and
///   `.csv.gz` compressed with gzip) files are read; other files are ignored.
/// - An empty file (zero bytes or only white space, as some AWS CLI commands print) holds
///   nothing and is listed as empty; for `get-function-concurrency` it means no reservation.
/// - Text must be UTF-8.
public enum Sources {
    /// Input files larger than this are refused rather than read into memory.
    public static let maximumFileSize = 512 * 1024 * 1024
    static let readableExtensions: Set<String> = ["json", "log", "txt", "yaml", "yml", "csv", "prom"]

    /// The query file that belongs to an input file: `a/b.json` → `a/b.query.json`.
    public static func sidecarName(for file: String) -> String {
        let url = URL(fileURLWithPath: file)
        return url.deletingPathExtension().path + ".query.json"
    }

    /// Which input files the parsers in this build read the way an earlier one did: a stored
    /// result of reading a file is reused only while this is unchanged. Raise it with any change to
    /// what an adapter reads from a file.
    public static let parserVersion = "\(3)"

    /// One input file to read: where it is, its query file, and how its source says to read it.
    public struct Input: Sendable, Equatable {
        /// Absolute.
        public var path: String
        /// Relative to the project: how pages and messages name it.
        public var display: String
        /// The absolute path of its `<stem>.query.json`, when there is one.
        public var sidecar: String?
        /// The sidecar relative to the project.
        public var sidecarDisplay: String?
        /// Why the file is not read at all (an extension Headroom does not read, or not a regular
        /// file inside `root`), if it is not.
        public var refusal: String?
        /// The folder no file of this input may leave through a symbolic link: the project, or the
        /// source's own folder when `headroom.yml` names one outside the project.
        public var root: String
        /// The configuration's source it belongs to, and that source's place in `sources:`.
        public var source: Configuration.Source
        public var sourceIndex: Int

        public init(
            path: String, display: String, sidecar: String? = nil, sidecarDisplay: String? = nil,
            refusal: String? = nil, root: String, source: Configuration.Source, sourceIndex: Int = 0
        ) {
            self.path = path
            self.display = display
            self.sidecar = sidecar
            self.sidecarDisplay = sidecarDisplay
            self.refusal = refusal
            self.root = root
            self.source = source
            self.sourceIndex = sourceIndex
        }

        /// How the source reads it (forced format, metric request), as text: part of the file's
        /// identity, because the same bytes read another way give other records.
        public var reading: String {
            "format=\(source.format?.rawValue ?? "detect") metric=\(source.metric.map { "\($0)" } ?? "none")"
        }
    }

    /// The folder of each source, absolute.
    public static func roots(_ configuration: Configuration, projectDirectory: URL) -> [URL] {
        configuration.sources.map {
            URL(fileURLWithPath: $0.path, relativeTo: projectDirectory).standardizedFileURL
        }
    }

    /// The input files of every source of `configuration`, relative to `projectDirectory`, in the
    /// order they are read: source by source, each in sorted path order.
    /// A source that does not exist is an error, unless `mayBeMissing` says it may be (the history
    /// store holds its files).
    public static func inputs(
        _ configuration: Configuration, projectDirectory: URL, mayBeMissing: (URL) -> Bool = { _ in false }
    ) throws(HeadroomError) -> [Input] {
        var inputs: [Input] = []
        let roots = roots(configuration, projectDirectory: projectDirectory)
        let project = projectDirectory.standardizedFileURL.path
        for (index, (source, root)) in zip(configuration.sources, roots).enumerated() {
            if !FileManager.default.fileExists(atPath: root.path) && mayBeMissing(root) { continue }
            let inside = root.path == project || relativePath(root.path, to: projectDirectory) != root.path
            let boundary = inside ? project : root.path
            let files = try listFiles(root, display: source.path)
            let names = Set(files)
            for file in files {
                let url = URL(fileURLWithPath: file)
                let unsafe = ProjectFile.refusal(file, root: boundary)
                guard readable(url), unsafe == nil else {
                    inputs.append(
                        Input(
                            path: file, display: relativePath(file, to: projectDirectory),
                            refusal: unsafe ?? refusal(url), root: boundary, source: source, sourceIndex: index))
                    continue
                }
                if file.hasSuffix(".query.json") {
                    let stem = String(file.dropLast(11))
                    if readableExtensions.contains(where: { names.contains(stem + "." + $0) }) { continue }
                }
                let sidecarPath = sidecarName(for: file)
                let hasSidecar = sidecarPath != file && names.contains(sidecarPath)
                inputs.append(
                    Input(
                        path: file, display: relativePath(file, to: projectDirectory),
                        sidecar: hasSidecar ? sidecarPath : nil,
                        sidecarDisplay: hasSidecar ? relativePath(sidecarPath, to: projectDirectory) : nil,
                        root: boundary, source: source, sourceIndex: index))
            }
        }
        return inputs
    }

    /// Reads every source of `configuration`, relative to `projectDirectory`.
    public static func read(
        _ configuration: Configuration, projectDirectory: URL, log: (String) -> Void = { _ in }
    ) throws(HeadroomError) -> Dataset {
        var dataset = Dataset()
        for input in try inputs(configuration, projectDirectory: projectDirectory) {
            let fragment = try read(input, data: nil, policy: configuration.onInvalidInput)
            log(describe(fragment.sources[0]))
            dataset.append(fragment)
        }
        return dataset
    }

    /// Reads one input file (`data`: its bytes, when the caller has them already) into a dataset
    /// whose `sources` is the file's one row. With `policy` warn, an invalid file becomes an
    /// invalid row instead of an error.
    public static func read(
        _ input: Input, data: Data?, sidecar sidecarData: Data? = nil,
        policy: Configuration.InvalidInputPolicy
    ) throws(HeadroomError) -> Dataset {
        if let refusal = input.refusal {
            return Dataset(sources: [SourceFile(path: input.display, status: .ignored(refusal))])
        }
        do throws(HeadroomError) {
            var sidecar = input.source.metric.map(requestCursor)
            if let path = input.sidecar, let shown = input.sidecarDisplay {
                let bytes: Data
                if let sidecarData {
                    bytes = sidecarData
                } else {
                    bytes = try load(path, display: shown, root: input.root)
                }
                sidecar = JSONCursor(try parseJSON(bytes, display: shown), file: shown)
            }
            let bytes: Data
            if let data { bytes = data } else { bytes = try load(input.path, display: input.display, root: input.root) }
            let file = InputFile(display: input.display, data: bytes, sidecar: sidecar)
            var (fragment, row) = try read(file, forced: input.source.format)
            row.path = input.display
            fragment.sources = [row]
            return fragment
        } catch {
            guard policy == .warn else { throw error }
            return Dataset(sources: [SourceFile(path: input.display, status: .invalid(error.description))])
        }
    }

    /// Whether a file with `url`'s name is read: by its extension, or a `.csv.gz` export.
    static func readable(_ url: URL) -> Bool {
        readableExtensions.contains(url.pathExtension.lowercased()) || Gzip.isCompressedCSV(url.lastPathComponent)
    }

    /// Why a file with `url`'s extension is not read, and what to do.
    static func refusal(_ url: URL) -> String {
        let ext = url.pathExtension.lowercased()
        let known = readableExtensions.sorted().map { "." + $0 }.joined(separator: ", ")
        switch ext {
        case "md", "markdown": return "Markdown is not an input (notes belong in notes/); Headroom reads \(known)"
        case "gz", "zip", "bz2", "xz", "zst":
            return
                "a compressed file is not read, but for a gzip CSV export (.csv.gz); unpack it (Headroom reads \(known))"
        case "parquet": return "Parquet is not read; query the export with Athena and save the result as CSV"
        case "": return "a file without an extension is not read; name it by its format (\(known))"
        default: return ".\(ext) is not an input format; Headroom reads \(known)"
        }
    }

    /// What became of a file, for --verbose.
    public static func describe(_ row: SourceFile) -> String {
        switch row.status {
        case .read(let format):
            var parts = [format.rawValue]
            if row.seriesCount > 0 { parts.append("\(row.seriesCount) series, \(row.pointCount) points") }
            if row.recordCount > 0 { parts.append("\(row.recordCount) records") }
            if !row.warnings.isEmpty { parts.append("\(row.warnings.count) warnings") }
            return "read \(row.path): " + parts.joined(separator: ", ")
        case .empty: return "read \(row.path): empty"
        case .ignored(let reason): return "not read \(row.path): \(reason)"
        case .invalid(let reason): return "skipped invalid \(reason)"
        }
    }

    /// Detects the format of one file (unless `forced`) and reads it.
    static func read(_ input: InputFile, forced: SourceFormat?) throws(HeadroomError) -> (Dataset, SourceFile) {
        // A compressed export is told by its first lines, then read as it unpacks (`CostExports.read`).
        let whole = input
        var input = input
        if Gzip.isCompressedCSV(input.display) {
            input = InputFile(
                display: input.display,
                data: try Gzip.start(input.data, display: input.display, limit: maximumFileSize),
                sidecar: input.sidecar)
        }
        var row = SourceFile(path: input.display, status: .empty)
        if input.isBlank {
            if forced == .lambdaFunctionConcurrency || (forced == nil && input.sidecar?["FunctionName"] != nil) {
                let output = try LambdaAdapters.readConcurrency(.object(JSONObject()), input)
                row.status = .read(.lambdaFunctionConcurrency)
                row.recordCount = output.recordCount
                return (output, row)
            }
            return (Dataset(), row)
        }
        guard let (format, parsed) = try detect(input, forced: forced) else { return (Dataset(), row) }
        guard let format else {
            let hint = FormatHints.hint(input, list: parsed)
            throw HeadroomError(
                .ingest, file: input.display, "the format of this file is not recognised: " + hint.message,
                remedy: hint.remedy)
        }
        // get-metric-data files are the large ones: they are read straight from the bytes. The
        // other formats are small and read from a parsed tree.
        func tree() throws(HeadroomError) -> JSONValue {
            guard input.family == .json else {
                throw HeadroomError(
                    .ingest, file: input.display, position: .line(1, column: 1), "expected JSON for \(format.rawValue)")
            }
            if let parsed { return parsed }
            return try parseJSON(input.data, display: input.display)
        }
        let output: (dataset: Dataset, warnings: [String])
        switch format {
        case .cloudWatchGetMetricData:
            let (series, warnings) = try CloudWatchGetMetricData.read(input.data, input)
            output = (Dataset(series: series), warnings)
        case .cloudWatchGetMetricStatistics:
            output = (Dataset(series: try CloudWatchGetMetricStatistics.read(try tree(), input)), [])
        case .costExplorer:
            output = try CostExplorer.read(try tree(), input)
        case .serviceQuotas:
            output = try ServiceQuotas.read(try tree(), input)
        case .lambdaAccountSettings:
            output = (try LambdaAdapters.readAccountSettings(try tree(), input), [])
        case .lambdaFunctionConcurrency:
            output = (try LambdaAdapters.readConcurrency(try tree(), input), [])
        case .lambdaProvisionedConcurrency:
            output = try LambdaAdapters.readProvisionedConcurrency(try tree(), input)
        case .lambdaFunctions:
            output = try LambdaAdapters.readFunctions(try tree(), input)
        case .lambdaLogs:
            output = try LambdaLogs.read(input.family == .json ? try tree() : nil, input)
        case .openSLO:
            output = try OpenSLO.read(try input.text(), input)
        case .securityHubASFF:
            output = try FindingAdapters.securityHub(try tree(), input)
        case .prowlerOCSF:
            output = try FindingAdapters.prowler(try tree(), input)
        case .trustedAdvisor:
            output = try FindingAdapters.trustedAdvisor(try tree(), input)
        case .wellArchitected:
            output = try FindingAdapters.wellArchitected(try tree(), input)
        case .focusCSV, .cur2CSV:
            output = try CostExports.read(whole, format: format)
        case .athenaQueryResults:
            output = try AthenaResults.read(try tree(), input)
        case .prometheusQuery:
            output = try Prometheus.readQuery(try tree(), input)
        case .prometheusText:
            output = try Prometheus.readText(try input.text(), input)
        case .xrayServiceGraph:
            output = try XRay.serviceGraph(try tree(), input)
        case .xrayTraceSummaries:
            output = try XRay.traceSummaries(try tree(), input)
        case .xrayTraces:
            output = try XRay.traces(try tree(), input)
        }
        return finish(output.dataset, output.warnings, format: format, row: row)
    }

    /// The format of a file that is not blank, and its parsed tree when detection had to parse it;
    /// nil when the file holds nothing (a YAML file of comments, an empty JSON list). The
    /// extension says which family a file belongs to; its content says which format.
    private static func detect(
        _ input: InputFile, forced: SourceFormat?
    ) throws(HeadroomError) -> (format: SourceFormat?, tree: JSONValue?)? {
        switch input.family {
        case .yaml:
            let text = try input.text()
            if let forced { return (forced, nil) }
            if OpenSLO.matches(text) { return (.openSLO, nil) }
            // Only comments and empty documents: nothing to read. YAML that does not parse is an
            // error at its position, whatever it was meant to be.
            do {
                var stream = try Yams.compose_all(yaml: text)
                var empty = true
                while let node = stream.next() {
                    if case .scalar(let scalar) = node, scalar.string.isEmpty { continue }
                    empty = false
                    break
                }
                if let error = stream.error { throw error }
                if empty { return nil }
            } catch let error as YamlError {
                throw YAMLCursor.error(error, file: input.display, stage: .ingest)
            } catch {
                throw HeadroomError(.ingest, file: input.display, "invalid YAML", underlying: error)
            }
            return (nil, nil)
        case .csv:
            if let forced { return (forced, nil) }
            guard let header = CostExports.header(input.data) else {
                _ = try input.text()  // names invalid UTF-8 with its line
                return (nil, nil)
            }
            if header.contains(where: { $0.hasPrefix("lineItem/") }) {
                throw HeadroomError(
                    .ingest, file: input.display, position: .line(1, column: nil),
                    "a legacy Cost and Usage Report (lineItem/… columns)",
                    remedy: "export CUR 2.0 or FOCUS with AWS Data Exports")
            }
            return (CostExports.format(header: header), nil)
        case .json:
            let keys: [String]?
            do {
                keys = try JSONParser.topLevelKeys(input.data) { decisiveKeys.contains($0) }
            } catch {
                // The skim does not check everything; a full parse names the first error exactly.
                _ = try parseJSON(input.data, display: input.display)
                throw HeadroomError(
                    .ingest, file: input.display, position: .line(error.line, column: error.column),
                    "invalid JSON: \(error.message)", remedy: "save the AWS CLI output unchanged (--output json)")
            }
            if let keys { return (forced ?? detect(keys: Set(keys), input: input), nil) }
            // A top-level list: Prowler's OCSF output, or an empty list that holds nothing.
            let list = try parseJSON(input.data, display: input.display)
            if case .array(let items) = list, items.isEmpty, forced == nil { return nil }
            return (forced ?? (ProwlerDetection.matches(list) ? .prowlerOCSF : nil), list)
        case .text:
            let text = try input.text()
            if let forced { return (forced, nil) }
            if LambdaLogs.matches(text) { return (.lambdaLogs, nil) }
            return (Prometheus.matchesText(text) ? .prometheusText : nil, nil)
        }
    }

    private static func finish(
        _ dataset: Dataset, _ warnings: [String], format: SourceFormat, row: SourceFile
    ) -> (Dataset, SourceFile) {
        var row = row
        row.status = .read(format)
        row.seriesCount = dataset.series.count
        row.pointCount = dataset.series.reduce(0) { $0 + $1.points.count }
        row.recordCount = dataset.recordCount
        let seriesWarnings = dataset.series.flatMap { series in series.warnings.map { "\(series.label): \($0)" } }
        row.warnings = warnings + Array(Set(seriesWarnings)).sorted()
        return (dataset, row)
    }

    /// A request from `headroom.yml` in the form of a `--cli-input-json` file.
    static func requestCursor(_ request: Configuration.MetricRequest) -> JSONCursor {
        let dimensions: [JSONValue] = request.dimensions.map {
            .object(JSONObject(keys: ["Name", "Value"], values: [.string($0.name), .string($0.value)]))
        }
        let value = JSONValue.object(
            JSONObject(
                keys: ["Namespace", "MetricName", "Dimensions", "Period", "Statistics", "ExtendedStatistics"],
                values: [
                    .string(request.namespace), .string(request.name), .array(dimensions),
                    .number(Double(request.period)),
                    .array(request.statistics.map(JSONValue.string)),
                    .array(request.extendedStatistics.map(JSONValue.string)),
                ]))
        return JSONCursor(value, path: "metric", file: "headroom.yml")
    }

    /// Top-level keys that decide a format on their own, so that detection can stop at them.
    static let decisiveKeys: Set<String> = [
        "MetricDataResults", "Datapoints", "ResultsByTime", "Quota", "Quotas", "AccountLimit", "AccountUsage",
        "Functions", "Configuration", "events", "Findings", "LensReview", "AnswerSummaries", "ImprovementSummaries",
        "checks", "result", "ProvisionedConcurrencyConfigs", "Services", "TraceSummaries", "Traces", "ResultSet",
    ]

    /// The format of a JSON document, from the keys the AWS CLI writes for each command.
    static func detect(keys: Set<String>, input: InputFile) -> SourceFormat? {
        if keys.contains("MetricDataResults") { return .cloudWatchGetMetricData }
        if keys.contains("Datapoints") { return .cloudWatchGetMetricStatistics }
        if keys.contains("ResultsByTime") { return .costExplorer }
        if keys.contains("ResultSet") { return .athenaQueryResults }
        if keys.contains("Quota") || keys.contains("Quotas") { return .serviceQuotas }
        if keys.contains("AccountLimit") || keys.contains("AccountUsage") { return .lambdaAccountSettings }
        if keys.contains("ProvisionedConcurrencyConfigs") { return .lambdaProvisionedConcurrency }
        // boto3 scripts dump ResponseMetadata too; it says nothing about the format.
        let meaningful = keys.subtracting(["ResponseMetadata"])
        if meaningful == ["ReservedConcurrentExecutions"]
            || (input.sidecar?["FunctionName"] != nil
                && (meaningful.isEmpty || meaningful.contains("ReservedConcurrentExecutions")))
        {
            return .lambdaFunctionConcurrency
        }
        if keys.contains("Functions") || keys.contains("Configuration")
            || (keys.contains("FunctionName") && keys.contains("FunctionArn"))
        {
            return .lambdaFunctions
        }
        if keys.contains("events") { return .lambdaLogs }
        if keys.contains("Services") { return .xrayServiceGraph }
        if keys.contains("TraceSummaries") { return .xrayTraceSummaries }
        if keys.contains("Traces") { return .xrayTraces }
        if keys.contains("Findings") { return .securityHubASFF }
        if keys.contains("LensReview") || keys.contains("AnswerSummaries") || keys.contains("ImprovementSummaries") {
            return .wellArchitected
        }
        if keys.contains("checks") || keys.contains("result") { return .trustedAdvisor }
        if Prometheus.matchesQuery(keys: keys) { return .prometheusQuery }
        return nil
    }

    /// The bytes of one input file, through `ProjectFile`: a regular file inside `root`, at most
    /// `maximumFileSize` bytes.
    public static func load(_ path: String, display: String, root: String) throws(HeadroomError) -> Data {
        try ProjectFile.read(path, display: display, root: root, limit: maximumFileSize, stage: .ingest)
    }

    /// Parses JSON, turning a syntax error into an error that names the file, line and column.
    public static func parseJSON(_ data: Data, display: String) throws(HeadroomError) -> JSONValue {
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
                at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
        else { return [] }
        // Everything but the folders the enumerator walks into: links, FIFOs and devices are listed
        // too, and refused with their reason.
        var files: [String] = []
        for case let url as URL in enumerator {
            var info = stat()
            if lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { continue }
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

/// One input file as an adapter sees it.
struct InputFile {
    let display: String
    let data: Data
    /// The parsed `<stem>.query.json`, if there is one.
    let sidecar: JSONCursor?

    enum Family { case json, text, yaml, csv }

    /// By extension: `.json`, `.yaml`/`.yml`, `.csv` (and `.csv.gz`); anything else is text.
    var family: Family {
        if Gzip.isCompressedCSV(display) { return .csv }
        return switch URL(fileURLWithPath: display).pathExtension.lowercased() {
        case "json": .json
        case "yaml", "yml": .yaml
        case "csv": .csv
        default: .text
        }
    }

    var isBlank: Bool { data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } }

    /// The file as UTF-8 text; invalid UTF-8 is an error naming the line and column.
    func text() throws(HeadroomError) -> String {
        try ProjectFile.text(data, display: display, stage: .ingest)
    }
}

enum ProwlerDetection {
    /// A list whose first item looks like an OCSF finding from Prowler.
    static func matches(_ json: JSONValue) -> Bool {
        guard case .array(let items) = json, case .object(let first)? = items.first else { return false }
        return first["status_code"] != nil && (first["finding_info"] != nil || first["metadata"] != nil)
    }
}
