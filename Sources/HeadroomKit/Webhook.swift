import Foundation
import HeadroomModel

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts the week's Slack message to an incoming webhook (`headroom build --notify-webhook URL`).
///
/// Each attempt has a timeout. A network error, a timeout, 408, 429 and 5xx are retried after 1 s
/// and 2 s (or the Retry-After the server asks for, up to 30 s); any other answer but 2xx fails at
/// once, with the server's reply. Messages name the webhook's host only: its path is a secret.
public enum Webhook {
    public static let attempts = 3

    /// Checks that `text` is an http(s) URL with a host, before anything is built.
    public static func validate(_ text: String) throws(HeadroomError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw HeadroomError(
                .usage, "--notify-webhook needs an http(s) URL, such as a Slack incoming webhook",
                remedy: "pass the webhook's URL, e.g. from a CI secret: --notify-webhook \"$SLACK_WEBHOOK_URL\"")
        }
        return url
    }

    /// Posts `body` as JSON; returns how many attempts it took.
    @discardableResult
    public static func post(
        _ body: Data, to url: URL, timeout: Double, log: (String) -> Void = { _ in }
    ) throws(HeadroomError) -> Int {
        let host = url.host ?? "the webhook"
        var problem = ""
        for attempt in 1...attempts {
            let (status, reply, retryAfter, error) = send(body, to: url, timeout: timeout)
            if let status, (200..<300).contains(status) { return attempt }
            if let status {
                problem = "HTTP \(status)" + (reply.isEmpty ? "" : ": \(reply)")
                guard [408, 429].contains(status) || status >= 500 else {
                    throw HeadroomError(
                        .publish, "\(host) refused the notification: \(problem)",
                        remedy: "check the webhook URL and that the app may post to its channel")
                }
            } else {
                problem = error ?? "no answer"
            }
            guard attempt < attempts else { break }
            let wait = min(retryAfter ?? Double(attempt), 30)
            log("notification to \(host) failed (\(problem)); attempt \(attempt + 1) of \(attempts) in \(wait) s")
            Thread.sleep(forTimeInterval: wait)
        }
        throw HeadroomError(
            .publish, "could not notify \(host) after \(plural(attempts, "attempt")): \(problem)",
            remedy: "the site was built; run the build again, or post slack.json yourself")
    }

    /// One attempt: the status, the start of the reply, Retry-After in seconds, or the error.
    private static func send(_ body: Data, to url: URL, timeout: Double) -> (Int?, String, Double?, String?) {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("Headroom/\(Headroom.version)", forHTTPHeaderField: "User-Agent")
        request.httpBody = body
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let done = DispatchSemaphore(value: 0)
        let result = Outcome()
        session.dataTask(with: request) { data, response, error in
            let problem = error.map {
                ($0 as? URLError)?.code == .timedOut
                    ? "timed out: no answer within \(timeout) s" : $0.localizedDescription
            }
            result.set(data: data, response: response as? HTTPURLResponse, error: problem)
            done.signal()
        }.resume()
        done.wait()
        return result.value
    }

    /// The answer of one request, handed from URLSession's queue to the waiting thread.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (Int?, String, Double?, String?) = (nil, "", nil, nil)

        func set(data: Data?, response: HTTPURLResponse?, error: String?) {
            let reply = String(decoding: (data ?? Data()).prefix(200), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let retryAfter = response?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
            lock.withLock {
                stored = (response?.statusCode, reply, retryAfter, error)
            }
        }

        var value: (Int?, String, Double?, String?) { lock.withLock { stored } }
    }
}
