import Foundation

/// A small SVG writer: escaped text, bounded numeric precision, no `NaN` ever printed.
public struct SVG {
    private(set) var text = ""

    /// Appends raw markup built by this module only.
    mutating func raw(_ markup: String) { text += markup }

    /// `<name a="v" …/>` or, with content, `<name …>content</name>`; attribute values are escaped.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        text += "<" + name
        for (key, value) in attributes { text += " \(key)=\"\(SVG.escape(value))\"" }
        if let content {
            text += ">" + content + "</\(name)>\n"
        } else {
            text += "/>\n"
        }
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<" + name
        for (key, value) in attributes { text += " \(key)=\"\(SVG.escape(value))\"" }
        text += ">\n"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    /// `<title>` of the enclosing element: the browser's tooltip.
    static func title(_ text: String) -> String { "<title>\(escape(text))</title>" }

    /// Escapes text for element content and attribute values; control characters other than tab
    /// and newline are dropped, since XML 1.0 does not allow them.
    public static func escape(_ text: String) -> String {
        // Most labels, numbers, tooltips and path data need nothing: return them as they are. The
        // check runs over the contiguous UTF-8 bytes (path data runs to kilobytes); letters beyond
        // ASCII pass, only the lead bytes of C1 controls (C2 80–9F) and of U+FFFE/U+FFFF (EF BF
        // BE/BF) send the text to the slow path.
        var text = text
        let plain = text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case 0x09, 0x0A: break
                case 0..<0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0x7F: return false
                case 0xC2: if index + 1 < bytes.count, bytes[index + 1] <= 0x9F { return false }
                case 0xEF:
                    if index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE { return false }
                default: break
                }
                index += 1
            }
            return true
        }
        if plain { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE
                    || scalar.value == 0xFFFF
                {
                    continue
                }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A label cut to `limit` characters with an ellipsis, so that no input can make a chart large.
    static func clip(_ text: String, _ limit: Int = 60) -> String {
        // Counting characters walks grapheme clusters; no more bytes than the limit needs none.
        text.utf8.count <= limit || text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A coordinate with at most one decimal: `12`, `12.5`, `-3.2`. Non-finite values never get
    /// here (callers check), but are printed as 0 rather than `nan` if they do; a coordinate far
    /// off the chart (an extreme value against a narrow scale) is held at ±10^9 pixels.
    static func number(_ value: Double) -> String { tenths(Self.tenths(value)) }

    /// A coordinate in tenths of a pixel, held at ±10^9 pixels; 0 for a non-finite value.
    private static func tenths(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        return Int64((min(max(value, -1e9), 1e9) * 10).rounded())
    }

    /// Tenths of a pixel as a number: `12`, `12.5`, `-3.2`, `-0.5`.
    private static func tenths(_ tenths: Int64) -> String {
        var bytes: [UInt8] = []
        append(tenths, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends tenths of a pixel as `tenths(_:)` prints them, without making a string.
    private static func append(_ tenths: Int64, to bytes: inout [UInt8]) {
        if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = tenths.magnitude
        let whole = magnitude / 10
        let fraction = magnitude % 10
        // The whole part's digits, most significant first.
        var divisor: UInt64 = 1
        while divisor <= whole / 10 { divisor *= 10 }
        var rest = whole
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction))
        }
    }

    /// Path data for runs of points: `M x y l dx dy dx dy …`, one `M` per run, so gaps stay gaps.
    /// After each run's first point the steps are relative (a third shorter than coordinates), and
    /// are taken between the rounded coordinates, so that no rounding adds up along a line. A minus
    /// sign separates numbers by itself (`l2.9-8.8`). Written as bytes: path data is most of a
    /// chart, and a string per number was a tenth of rendering a function page.
    static func path(_ runs: [[(x: Double, y: Double)]]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(runs.reduce(0) { $0 + $1.count } * 10 + 16)
        func number(_ value: Int64, separated: Bool) {
            if separated && value >= 0 { bytes.append(UInt8(ascii: " ")) }
            append(value, to: &bytes)
        }
        for run in runs where !run.isEmpty {
            var last = (x: tenths(run[0].x), y: tenths(run[0].y))
            if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
            bytes.append(UInt8(ascii: "M"))
            number(last.x, separated: false)
            number(last.y, separated: true)
            for (index, point) in run.enumerated().dropFirst() {
                let next = (x: tenths(point.x), y: tenths(point.y))
                if index == 1 { bytes.append(UInt8(ascii: "l")) }
                number(next.x - last.x, separated: index != 1)
                number(next.y - last.y, separated: true)
                last = next
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
