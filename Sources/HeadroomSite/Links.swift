import Crypto
import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

extension SiteBuilder {
    /// Where each function's and resource's page is, relative to the site root.
    struct Pages {
        var functions: Slugs
        var resources: Slugs
        var slos: Slugs
        var services: Slugs
        /// The findings' rule ids: two ids that slug alike (`a.b`, `a-b`) get distinct anchors.
        var rules: Slugs
        /// Where each error group is shown, by id (`SiteBuilder.errorLinks`).
        var errorGroups: [String: String]

        init(_ report: Report) {
            functions = Slugs(report.functions.map(\.name))
            resources = Slugs(report.services.flatMap(\.resources).map { "\($0.kind)-\($0.name)" })
            slos = Slugs(report.slos.map(\.name))
            services = Slugs(report.services.map(\.name))
            rules = Slugs(report.findings.map(\.ruleId))
            errorGroups = SiteBuilder.errorLinks(report)
        }
        /// A service's section on the overview: `service-` and the slug of its page, so that two
        /// names that slug alike (`a.b`, `a-b`) get distinct anchors.
        func serviceAnchor(_ name: String) -> String { "service-\(services[name])" }

        /// A service's page; its second page and later ones get `.page<n>` (never in a slug).
        func service(_ name: String, page: Int = 1) -> String {
            "services/\(services[name])" + (page == 1 ? "" : ".page\(page)") + ".html"
        }

        /// The rows of a service split over pages, for sorting and filtering it whole.
        func serviceRows(_ name: String) -> String { "services/\(services[name]).rows.js" }

        func function(_ name: String) -> String { "functions/\(functions[name]).html" }
        func slo(_ name: String) -> String { "slos/\(slos[name]).html" }
        /// An error group's page, or its state's section of the Errors page when it has none.
        func errorGroup(_ id: String) -> String { errorGroups[id] ?? "errors.html" }
        /// A finding's rule among the findings in its state on the Checks page.
        func anchor(rule: String, state: String) -> String { "\(state)-" + rules[rule] }
        func finding(rule: String, state: String) -> String { "checks.html#" + anchor(rule: rule, state: state) }
        func resource(_ resource: ResourceReport) -> String {
            "resources/\(resources["\(resource.kind)-\(resource.name)"]).html"
        }
    }

    /// Rewrites the relative links of the overview's HTML for the single file: `index.html#x` to
    /// `#x`, others against `base`, or removed without one (an `<a>` without href is plain text). Text is escaped, so `href="` only occurs in real attributes.
    static func absolute(links html: String, base: String?) -> String {
        let bytes = Array(html.utf8)
        let marker = Array(#" href=""#.utf8)
        let quote = UInt8(ascii: "\"")
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var copied = 0
        var at = 0
        while at + marker.count <= bytes.count {
            guard bytes[at] == marker[0], bytes[at..<at + marker.count].elementsEqual(marker) else {
                at += 1
                continue
            }
            let start = at + marker.count
            guard let end = bytes[start...].firstIndex(of: quote) else { break }
            let url = String(decoding: bytes[start..<end], as: UTF8.self)
            result += bytes[copied..<at]
            if url.hasPrefix("index.html#") {  // within this file
                result += Array(##" href="#"##.utf8) + url.utf8.dropFirst("index.html#".count) + [quote]
            } else if url.hasPrefix("#") || url.contains(":") {
                result += bytes[at...end]
            } else if let base {
                result += marker + Array(base.utf8) + url.utf8 + [quote]
            }
            copied = end + 1
            at = copied
        }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }
}

/// File-name-safe, unique slugs for resource names. Case is kept, because Lambda names are
/// case-sensitive; a clash on a case-insensitive file system gets a numeric suffix, given in
/// sorted order so that the result is deterministic.
struct Slugs {
    private var slugs: [String: String] = [:]

    init(_ names: [String]) {
        var taken: Set<String> = []
        for name in Set(names).sorted() {
            var slug = Self.slug(name)
            var suffix = 2
            while taken.contains(slug.lowercased()) {
                slug = Self.slug(name) + "-\(suffix)"
                suffix += 1
            }
            taken.insert(slug.lowercased())
            slugs[name] = slug
        }
    }

    subscript(name: String) -> String { slugs[name] ?? Self.slug(name) }

    /// The longest slug: a page's file name (with a prefix, a clash suffix and `.html`) stays far
    /// below the 255 bytes file systems allow, whatever the name (DynamoDB allows 255 characters).
    static let maximumLength = 96

    static func slug(_ name: String) -> String {
        let mapped = name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
                ? Character(scalar) : "-"
        }
        let slug = String(mapped)
        guard slug.count <= maximumLength else {
            // A longer name keeps its start, and the start of its SHA-256 keeps it apart from
            // names that start alike.
            let digest = SHA256.hash(data: Data(name.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
            return slug.prefix(maximumLength - 13) + "-" + digest
        }
        return slug.isEmpty ? "-" : slug
    }
}
