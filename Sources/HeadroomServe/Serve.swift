import FlyingFox
import FlyingSocks
import Foundation
import HeadroomKit
import HeadroomModel

/// `headroom serve`: builds, serves the site over HTTP, watches the project and rebuilds when a
/// file changes; open pages reload after each build. A failed build leaves the last good site
/// served, with the error laid over its pages.
public enum Serve {
    public struct Options: Sendable {
        public var build: BuildOptions
        public var host: String
        /// 0 lets the system choose a free port.
        public var port: UInt16

        public init(build: BuildOptions, host: String, port: UInt16) {
            self.build = build
            self.host = host
            self.port = port
        }
    }

    /// What the server needs from the builds, shared between the build loop and the requests.
    final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var generation = 0
        private var failure: BuildFailure?

        func finished(_ failure: BuildFailure?) {
            lock.withLock {
                generation += 1
                self.failure = failure
            }
        }

        var current: (generation: Int, failure: BuildFailure?) { lock.withLock { (generation, failure) } }
    }

    /// Runs until the process is stopped. `say` prints a line for the user.
    public static func run(_ options: Options, say: @escaping @Sendable (String) -> Void) throws(HeadroomError) {
        let project = options.build.project
        let output = options.build.outputFolder
        let state = State()
        func build() {
            say("Building…")
            let started = ProcessInfo.processInfo.systemUptime
            do {
                let result = try Pipeline.build(options.build) { event in
                    if case .warning(let text) = event { say("warning: \(text)") }
                }
                state.finished(nil)
                let seconds = ProcessInfo.processInfo.systemUptime - started
                say("Built \(plural(result.pages, "page")) in \(Format.fixed(seconds, 2)) s.")
            } catch {
                state.finished(BuildFailure(error))
                say("error: \(error.description)\n  (the last good site stays served; save a fix to rebuild)")
            }
        }
        // Listen first: a bad address or a port in use is said at once, and a site left by an
        // earlier build is served while the first build runs.
        let address = try listen(options, files: SiteFiles(root: output), state: state)
        build()
        say("Serving \(output.path) at http://\(address)/ (Ctrl-C stops)")
        if !["127.0.0.1", "::1", "localhost"].contains(options.host) {
            say(
                "warning: listening on \(options.host), not only this machine: anyone who can reach it can read the review"
            )
        }
        // Watch: a burst of changes gives one build; changes during a build give one more after it.
        let watcher = ProjectWatcher(project: project, ignored: [output])
        var stamps = watcher.scan()
        var debounce = Debounce(quiet: 0.2)
        while true {
            Thread.sleep(forTimeInterval: 0.15)
            let now = ProcessInfo.processInfo.systemUptime
            let scan = watcher.scan()
            let changed = ProjectWatcher.changes(from: stamps, to: scan)
            if !changed.isEmpty {
                stamps = scan
                debounce.changed(at: now)
                say(
                    "Changed: \(changed.prefix(3).map { relative($0, to: project) }.joined(separator: ", "))"
                        + (changed.count > 3 ? " and \(changed.count - 3) more" : ""))
            }
            if debounce.shouldBuild(at: now) { build() }
        }
    }

    static func relative(_ path: String, to project: URL) -> String {
        path.hasPrefix(project.path + "/") ? String(path.dropFirst(project.path.count + 1)) : path
    }

    /// Starts the HTTP server on its own tasks; returns `host:port` once it listens.
    static func listen(_ options: Options, files: SiteFiles, state: State) throws(HeadroomError) -> String {
        let address: any SocketAddress
        do {
            if options.host.contains(":") {
                address = try sockaddr_in6.inet6(ip6: options.host, port: options.port)
            } else {
                address = try sockaddr_in.inet(
                    ip4: options.host == "localhost" ? "127.0.0.1" : options.host, port: options.port)
            }
        } catch {
            throw HeadroomError(
                .usage, "\(options.host) is not an IP address", remedy: "use --host 127.0.0.1 (the default) or 0.0.0.0")
        }
        let server = HTTPServer(address: address, timeout: 60, logger: .disabled)
        let outcome = Outcome()
        let ready = DispatchSemaphore(value: 0)
        Task.detached {
            await routes(server, files: files, state: state)
            do {
                try await server.run()
            } catch {
                outcome.set(.failure(error))
                ready.signal()
            }
        }
        Task.detached {
            do {
                try await server.waitUntilListening(timeout: 10)
                switch await server.listeningAddress {
                case .ip4(let host, let port)?: outcome.set(.success("\(host):\(port)"))
                case .ip6(let host, let port)?: outcome.set(.success("[\(host)]:\(port)"))
                default: outcome.set(.success("\(options.host):\(options.port)"))
                }
            } catch {
                outcome.set(.failure(error))
            }
            ready.signal()
        }
        ready.wait()
        switch outcome.get() {
        case .success(let text)?: return text
        case .failure(let error)?:
            throw HeadroomError(
                .usage, "cannot listen on \(options.host):\(options.port): \(error)",
                remedy: "choose another --port, or stop what uses it")
        case nil: throw HeadroomError(.usage, "the server did not start")
        }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<String, any Error>?
        func set(_ result: Result<String, any Error>) { lock.withLock { if value == nil { value = result } } }
        func get() -> Result<String, any Error>? { lock.withLock { value } }
    }

    static func routes(_ server: HTTPServer, files: SiteFiles, state: State) async {
        await server.appendRoute("GET /__headroom/reload.js") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                body: Data(SiteFiles.reloadScript.utf8))
        }
        await server.appendRoute("GET /__headroom/overlay.css") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "no-cache"],
                body: Data(SiteFiles.overlayStyle.utf8))
        }
        // Long polling: answers the build's number once it differs from `since`, or after 25 s.
        await server.appendRoute("GET /__headroom/wait") { request in
            let since = request.query["since"].flatMap { Int($0) } ?? -1
            for _ in 0..<125 where state.current.generation == since {
                try await Task.sleep(for: .milliseconds(200))
            }
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: Data("\(state.current.generation)".utf8))
        }
        await server.appendRoute("GET *") { request in
            respond(to: request, files: files, state: state)
        }
        // HEAD: the headers GET would send, with the length of the body it would send.
        await server.appendRoute("HEAD *") { request in
            let answer = respond(to: request, files: files, state: state)
            var headers = answer.headers
            headers[.contentLength] = String(try await answer.bodyData.count)
            return HTTPResponse(statusCode: answer.statusCode, headers: headers)
        }
    }

    static let plainText: HTTPHeaders = [.contentType: "text/plain; charset=utf-8"]

    /// A site file, with the reload script in pages; 404.html for what is missing; 403 for what
    /// is refused; 304 when the browser's copy is current.
    static func respond(to request: HTTPRequest, files: SiteFiles, state: State) -> HTTPResponse {
        let (generation, failure) = state.current
        func page(_ status: HTTPStatusCode, _ html: String) -> HTTPResponse {
            HTTPResponse(
                statusCode: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: Data(html.utf8))
        }
        let rawPath = request.target.path(percentEncoded: true)
        let answer = files.answer(rawPath)
        let siteBuilt = FileManager.default.fileExists(atPath: files.root.appending(path: "index.html").path)
        if !siteBuilt, let failure { return page(.ok, SiteFiles.failurePage(failure, generation: generation)) }
        switch answer {
        case .forbidden(let why):
            return HTTPResponse(
                statusCode: .forbidden, headers: plainText,
                body: Data("403 Forbidden: \(why)\n".utf8))
        case .redirect(let location):
            let headers: HTTPHeaders = [.location: location]
            return HTTPResponse(statusCode: .movedPermanently, headers: headers)
        case .notFound:
            let missing = files.root.appending(path: "404.html")
            guard let data = FileManager.default.contents(atPath: missing.path) else {
                return HTTPResponse(
                    statusCode: .notFound, headers: plainText,
                    body: Data("404 Not Found\n".utf8))
            }
            return page(
                .notFound,
                SiteFiles.served(String(decoding: data, as: UTF8.self), generation: generation, failure: failure))
        case .file(let url):
            guard let data = FileManager.default.contents(atPath: url.path) else {
                return HTTPResponse(statusCode: .notFound)
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            let modified = (attributes?[.modificationDate] as? Date) ?? .distantPast
            let type = SiteFiles.contentType(url)
            let isPage = type.hasPrefix("text/html")
            // The page a browser holds is current only for the same file and the same build.
            let tag =
                "\"\(data.count)-\(Int64(modified.timeIntervalSince1970 * 1_000_000))"
                + (isPage ? "-\(generation)\(failure == nil ? "" : "e")" : "") + "\""
            if request.headers[.ifNoneMatch] == tag {
                let headers: HTTPHeaders = [.eTag: tag]
                return HTTPResponse(statusCode: .notModified, headers: headers)
            }
            let body =
                isPage
                ? Data(
                    SiteFiles.served(String(decoding: data, as: UTF8.self), generation: generation, failure: failure)
                        .utf8) : data
            return HTTPResponse(
                statusCode: .ok,
                headers: [.contentType: type, .eTag: tag, .cacheControl: "no-cache"],
                body: body)
        }
    }
}
