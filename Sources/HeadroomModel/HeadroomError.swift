import Foundation

/// The one public error of Headroom: which stage failed, in which file and where, what is wrong,
/// what to do about it, and the error that caused it.
public struct HeadroomError: Error, CustomStringConvertible, Sendable {
    public enum Stage: String, Sendable {
        case usage, configuration, ingest, analysis, render, publish
    }

    /// Where in a file the problem is.
    public enum Position: Equatable, Sendable, CustomStringConvertible {
        /// 1-based line and column.
        case line(Int, column: Int?)
        /// A JSON path such as `$.MetricDataResults[3].Values[7]`.
        case jsonPath(String)

        public var description: String {
            switch self {
            case .line(let line, let column?): "\(line):\(column)"
            case .line(let line, nil): "\(line)"
            case .jsonPath(let path): path
            }
        }
    }

    public var stage: Stage
    public var file: String?
    public var position: Position?
    public var message: String
    public var remedy: String?
    public var underlying: (any Error & Sendable)?
    /// The build step that was running, stamped by the pipeline.
    public var step: String?

    public init(
        _ stage: Stage, file: String? = nil, position: Position? = nil, _ message: String,
        remedy: String? = nil, underlying: (any Error & Sendable)? = nil
    ) {
        self.stage = stage
        self.file = file
        self.position = position
        self.message = message
        self.remedy = remedy
        self.underlying = underlying
    }

    /// Documented exit codes: 1 when the build failed, 2 for usage or configuration errors.
    public var exitCode: Int32 {
        switch stage {
        case .usage, .configuration: 2
        case .ingest, .analysis, .render, .publish: 1
        }
    }

    /// `file:position: message` as compilers print it.
    public var location: String? {
        guard let file else { return nil }
        switch position {
        case .line(let line, let column?): return "\(file):\(line):\(column)"
        case .line(let line, nil): return "\(file):\(line)"
        case .jsonPath(let path): return "\(file) at \(path)"
        case nil: return file
        }
    }

    public var description: String {
        var text = location.map { "\($0): \(message)" } ?? message
        if let remedy { text += "\n  fix: \(remedy)" }
        var cause = underlying
        while let current = cause {
            if let inner = current as? HeadroomError {
                text += "\n  caused by: " + (inner.location.map { "\($0): \(inner.message)" } ?? inner.message)
                cause = inner.underlying
            } else {
                text += "\n  caused by: " + Self.readable(current)
                cause = nil
            }
        }
        return text
    }

    /// What the system said, in its words: "No space left on device", not Foundation's dump of an
    /// NSError and its user info.
    static func readable(_ error: any Error) -> String {
        let error = error as NSError
        if let posix = error.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        guard error.domain == NSCocoaErrorDomain else { return "\(error)" }
        let posix: [CocoaError.Code: Int32] = [
            .fileWriteOutOfSpace: ENOSPC, .fileWriteNoPermission: EACCES, .fileReadNoPermission: EACCES,
            .fileNoSuchFile: ENOENT, .fileReadNoSuchFile: ENOENT, .fileWriteVolumeReadOnly: EROFS,
            .fileWriteFileExists: EEXIST,
        ]
        if let code = posix[CocoaError.Code(rawValue: error.code)] { return String(cString: strerror(code)) }
        return error.localizedDescription
    }
}
