import Foundation
import HeadroomModel

/// What `headroom serve` answers for a request path, decided without a network: the file of the
/// site it names, or why it is refused. Nothing outside the site folder is ever served: a path
/// segment that is `.` or `..` (written plainly or percent-encoded), an encoded slash or
/// backslash, a NUL, or a symbolic link that leads out of the folder is refused; a folder is
/// never listed.
public struct SiteFiles: Sendable {
    public enum Answer: Equatable, Sendable {
        case file(URL)
        /// A folder asked for without its trailing slash: go to `location`.
        case redirect(String)
        case notFound
        case forbidden(String)
    }

    /// The site folder as given.
    public let folder: URL

    public init(root: URL) {
        folder = root.standardizedFileURL
    }

    /// The site folder, its symbolic links resolved: resolved on each use, because the folder
    /// may not exist until the first build has published it.
    public var root: URL { folder.resolvingSymlinksInPath() }

    /// The answer for a request's path as it came (percent-encoded, without its query).
    public func answer(_ rawPath: String) -> Answer {
        let root = self.root
        guard rawPath.hasPrefix("/") else { return .forbidden("the path does not start with /") }
        var segments: [String] = []
        let parts = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            guard let segment = part.removingPercentEncoding else {
                return .forbidden("a segment is not valid percent-encoding")
            }
            if segment == "." || segment == ".." {
                return .forbidden("a path may not climb with . or ..")
            }
            if segment.contains("/") || segment.contains("\\") || segment.contains("\0") {
                return .forbidden("a segment may not hold a slash, a backslash or a NUL")
            }
            // `a//b` and a trailing slash leave empty segments: only a trailing one means a folder.
            if segment.isEmpty {
                guard index == parts.count - 1 else { return .notFound }
                continue
            }
            segments.append(segment)
        }
        let folderAsked = rawPath.hasSuffix("/")
        var url = root
        for segment in segments { url.append(path: segment, directoryHint: .notDirectory) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return .notFound }
        if isFolder.boolValue {
            let index = url.appending(path: "index.html", directoryHint: .notDirectory)
            guard FileManager.default.fileExists(atPath: index.path) else { return .notFound }
            if !folderAsked { return .redirect(rawPath + "/") }
            url = index
        } else if folderAsked {
            return .notFound
        }
        // A link may point anywhere: what it resolves to must still be inside the site.
        let resolved = url.resolvingSymlinksInPath()
        guard resolved.path.hasPrefix(root.path + "/") else { return .forbidden("a link leads out of the site") }
        return .file(resolved)
    }

    /// The media type of a site file, by its extension.
    public static func contentType(_ url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "xml": url.lastPathComponent == "feed.xml" ? "application/atom+xml" : "application/xml"
        case "md": "text/markdown; charset=utf-8"
        case "txt": "text/plain; charset=utf-8"
        case "csv": "text/csv; charset=utf-8"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }

    /// A page as served: the reload script before `</body>`, the Content-Security-Policy
    /// extended by what the script needs (`connect-src 'self'`, and `script-src 'self'` where the
    /// page allows no script), and, after a failed build, the error laid over the last good
    /// page. The files on disk stay as `headroom build` wrote them.
    public static func served(_ html: String, generation: Int, failure: BuildFailure?) -> String {
        var page = html
        if let start = page.range(of: "content=\"default-src"),
            let end = page[start.upperBound...].firstIndex(of: "\"")
        {
            var policy = String(page[page.index(start.lowerBound, offsetBy: "content=\"".count)..<end])
            if !policy.contains("script-src") { policy += "; script-src 'self'" }
            policy += "; connect-src 'self'"
            page.replaceSubrange(page.index(start.lowerBound, offsetBy: "content=\"".count)..<end, with: policy)
        }
        var injected = "<script src=\"/__headroom/reload.js\" data-build=\"\(generation)\"></script>\n"
        if let failure {
            injected =
                "<link rel=\"stylesheet\" href=\"/__headroom/overlay.css\">\n" + failure.overlay() + injected
        }
        if let body = page.range(of: "</body>", options: .backwards) {
            page.insert(contentsOf: injected, at: body.lowerBound)
        } else {
            page += injected
        }
        return page
    }

    /// The page served for every path while no build has ever succeeded.
    public static func failurePage(_ failure: BuildFailure, generation: Int) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'">
        <title>Build failed · headroom serve</title>
        <link rel="stylesheet" href="/__headroom/overlay.css">
        </head>
        <body>
        \(failure.overlay())<script src="/__headroom/reload.js" data-build="\(generation)"></script>
        </body>
        </html>

        """
    }

    /// Polls for a newer build, and reloads the page when there is one.
    public static let reloadScript = """
        (function () {
          var script = document.currentScript;
          var build = script ? script.getAttribute("data-build") : "0";
          function poll() {
            fetch("/__headroom/wait?since=" + encodeURIComponent(build), { cache: "no-store" })
              .then(function (answer) { return answer.text(); })
              .then(function (latest) { if (latest.trim() !== build) { location.reload(); } else { poll(); } })
              .catch(function () { setTimeout(poll, 1000); });
          }
          poll();
        })();

        """

    public static let overlayStyle = """
        .headroom-serve-error { position: fixed; inset: 0; z-index: 1000; overflow: auto; padding: 2rem;
          background: rgba(20, 20, 24, 0.96); color: #fff; font: 15px/1.5 system-ui, sans-serif; }
        .headroom-serve-error h1 { color: #ff8a80; font-size: 1.4rem; margin: 0 0 1rem; }
        .headroom-serve-error pre { white-space: pre-wrap; background: #000; padding: 1rem; border-left: 4px solid #ff8a80; }
        .headroom-serve-error p { max-width: 60rem; }

        """
}

/// A failed build as `serve` shows it: the error's place, text and fix.
public struct BuildFailure: Sendable, Equatable {
    public var location: String?
    public var message: String
    public var remedy: String?
    public var text: String

    public init(_ error: HeadroomError) {
        location = error.location
        message = error.message
        remedy = error.remedy
        text = error.description
    }

    /// The error as an HTML block, every part escaped.
    func overlay() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        return """
            <div class="headroom-serve-error" role="alert">
            <h1>The build failed</h1>
            <p>\(location.map { "In <code>\(escape($0))</code>: " } ?? "")\(escape(message))</p>
            \(remedy.map { "<p>Fix: \(escape($0))</p>\n" } ?? "")<pre>\(escape(text))</pre>
            <p>The page under this is the last good build. Save a fix and this page reloads.</p>
            </div>

            """
    }
}
