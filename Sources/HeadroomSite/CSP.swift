import Crypto
import Foundation

/// Content-Security-Policy sources.
enum CSP {
    /// `'sha256-…'`: the hash source that allows exactly this inline text (the single-file review's
    /// stylesheet).
    static func hashSource(_ text: String) -> String {
        "'sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() + "'"
    }
}
