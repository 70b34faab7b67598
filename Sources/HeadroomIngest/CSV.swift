import Foundation
import HeadroomModel

/// An RFC 4180 CSV reader over bytes: one record at a time (so large exports stream through
/// without a table in memory), quoted fields with `""` escapes and line breaks, CRLF or LF,
/// a UTF-8 byte-order mark tolerated. Every field must be valid UTF-8.
struct CSVReader {
    struct Problem: Error {
        var line: Int
        var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The line on which the next record starts.
    private(set) var line = 1

    /// `bytes` from the start of a file, or (`line`, no `byteOrderMark`) a block of whole records
    /// further on (`CSVStream`).
    init(bytes: UnsafeBufferPointer<UInt8>, line: Int = 1, byteOrderMark: Bool = true) {
        self.bytes = bytes
        self.line = line
        if byteOrderMark, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    /// The next record's fields and the line it starts on, or nil at the end. Blank lines are skipped.
    mutating func next() throws(Problem) -> (fields: [String], line: Int)? {
        while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x0D {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        while true {
            fields.append(try field(recordLine: start))
            guard index < bytes.count else { return (fields, start) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                if index == bytes.count { fields.append("") }
            case 0x0D:
                index += 1
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                line += 1
                return (fields, start)
            case 0x0A:
                index += 1
                line += 1
                return (fields, start)
            default:
                throw Problem(line: line, message: "unexpected text after a quoted field")
            }
        }
    }

    private mutating func field(recordLine: Int) throws(Problem) -> String {
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            let quoteLine = line
            index += 1
            var buffer: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        buffer.append(byte)
                        index += 2
                        continue
                    }
                    index += 1
                    return try text(buffer[...])
                }
                if byte == 0x0A { line += 1 }
                buffer.append(byte)
                index += 1
            }
            throw Problem(line: quoteLine, message: "a quoted field that is never closed")
        }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D { break }
            if byte == UInt8(ascii: "\"") { throw Problem(line: line, message: "a quote inside an unquoted field") }
            index += 1
        }
        return try text(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    private func text<C: Collection<UInt8>>(_ bytes: C) throws(Problem) -> String {
        guard !bytes.contains(0) else {
            throw Problem(line: line, message: "a NUL character (byte 0) in a field; exports hold none")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Problem(line: line, message: "the text is not valid UTF-8")
        }
        return text
    }
}

/// The records of a CSV file that arrives in chunks (`source` gives each, nil after the last), as
/// `CSVReader` reads a whole file: the chunks are cut into blocks of whole records, each ending
/// after a line feed outside quotes (an even number of quotes since the block began: a quote
/// opens or closes a quoted field, and `""` inside one counts twice), and each block is read on
/// from the line where the one before it stopped. So a record is never split, line numbers run
/// on, and only a block and its records are in memory at a time.
struct CSVStream {
    private let source: () throws -> [UInt8]?
    /// Bytes not yet read: the start of a record, perhaps more.
    private var pending: [UInt8] = []
    /// How far `pending` has been scanned for quotes and line feeds, and whether that is inside
    /// quotes.
    private var scanned = 0
    private var quoted = false
    private var records: [(fields: [String], line: Int)] = []
    private var position = 0
    private var line = 1
    private var started = false
    private var finished = false

    init(source: @escaping () throws -> [UInt8]?) { self.source = source }

    /// The next record's fields and the line it starts on, or nil at the end.
    mutating func next() throws -> (fields: [String], line: Int)? {
        while position == records.count {
            guard !finished else { return nil }
            try readBlock()
        }
        position += 1
        return records[position - 1]
    }

    private mutating func readBlock() throws {
        records.removeAll(keepingCapacity: true)
        position = 0
        var end: Int?
        while end == nil {
            guard let chunk = try source() else {
                finished = true
                break
            }
            pending += chunk
            for index in scanned..<pending.count {
                switch pending[index] {
                case UInt8(ascii: "\""): quoted.toggle()
                case 0x0A where !quoted: end = index + 1
                default: break
                }
            }
            scanned = pending.count
        }
        let cut = finished ? pending.count : end!
        let (read, next) = try pending.withUnsafeBufferPointer { all throws -> ([(fields: [String], line: Int)], Int) in
            var reader = CSVReader(
                bytes: UnsafeBufferPointer(rebasing: all[0..<cut]), line: line, byteOrderMark: !started)
            var read: [(fields: [String], line: Int)] = []
            while let record = try reader.next() { read.append(record) }
            return (read, reader.line)
        }
        records = read
        line = next
        started = true
        pending.removeFirst(cut)
        scanned = pending.count
    }
}

/// Cost exports as CSV: FOCUS 1.0–1.2 (AWS Data Exports and other providers) and AWS CUR 2.0.
/// Rules:
/// - The header names the columns; columns are found by name, in any order. A missing required
///   column is an error on line 1; a row with another number of fields is an error on its line.
/// - Costs become exact decimals; negative amounts (credits, refunds, corrections) are kept.
/// - Periods are [start, end): the end is exclusive.
/// - FOCUS gives two metrics per row, `EffectiveCost` and `BilledCost`, in `BillingCurrency`, grouped
///   by SERVICE, RESOURCE, ACCOUNT, REGION, CHARGE_CATEGORY and every non-empty `x_` column.
/// - CUR 2.0 gives `UnblendedCost` and `UsageQuantity` (in `pricing_unit`), grouped by SERVICE,
///   USAGE_TYPE, OPERATION, RESOURCE, ACCOUNT and LINE_ITEM_TYPE; Lambda compute lines also get
///   ARCHITECTURE (`-ARM` usage types are arm64).
enum CostExports {
    static let focusRequired = [
        "ChargePeriodStart", "ChargePeriodEnd", "BilledCost", "EffectiveCost", "BillingCurrency", "ServiceName",
    ]
    static let curRequired = [
        "line_item_usage_start_date", "line_item_usage_end_date", "line_item_product_code", "line_item_usage_type",
        "line_item_usage_amount", "line_item_unblended_cost", "line_item_line_item_type",
    ]

    /// The header, to detect the format: nil when the file is not a CSV with a header.
    static func header(_ data: Data) -> [String]? {
        data.withUnsafeBytes { raw -> [String]? in
            var reader = CSVReader(bytes: raw.bindMemory(to: UInt8.self))
            return (try? reader.next())??.fields
        }
    }

    /// FOCUS when the header has most of FOCUS's required columns (a missing one is then reported
    /// by name); CUR 2.0 when it has `line_item_` columns.
    static func format(header: [String]) -> SourceFormat? {
        let columns = Set(header)
        if focusRequired.filter(columns.contains).count * 2 >= focusRequired.count { return .focusCSV }
        if header.contains(where: { $0.hasPrefix("line_item_") }) { return .cur2CSV }
        return nil
    }

    /// The records of an export, `.csv` or `.csv.gz`: a compressed one is unpacked as it is read
    /// (`Gzip.Stream`, `CSVStream`), never whole.
    static func read(_ input: InputFile, format: SourceFormat) throws(HeadroomError) -> (Dataset, [String]) {
        if Gzip.isCompressedCSV(input.display) {
            let stream = try Gzip.Stream(input.data, display: input.display, limit: Sources.maximumFileSize)
            var csv = CSVStream { () throws in try stream.next() }
            return try read(input, format: format) { () throws in try csv.next() }
        }
        let result = input.data.withUnsafeBytes { raw -> Result<(Dataset, [String]), HeadroomError> in
            var reader = CSVReader(bytes: raw.bindMemory(to: UInt8.self))
            do throws(HeadroomError) {
                return .success(try read(input, format: format) { () throws in try reader.next() })
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The records of the rows `next` gives, the first one the header.
    private static func read(
        _ input: InputFile, format: SourceFormat, next: () throws -> (fields: [String], line: Int)?
    ) throws(HeadroomError) -> (Dataset, [String]) {
        let costs: [CostRecord]
        do {
            if let (header, _) = try next() {
                costs = try Self.records(header: header, format: format, display: input.display) { () throws in
                    try next().map { ($0.fields, .line($0.line, column: nil)) }
                }
            } else {
                costs = []
            }
        } catch let error as HeadroomError {
            throw error
        } catch let problem as CSVReader.Problem {
            throw HeadroomError(
                .ingest, file: input.display, position: .line(problem.line, column: nil), problem.message)
        } catch {
            throw HeadroomError(.ingest, file: input.display, "cannot read the file", underlying: error)
        }
        return (Dataset(costs: costs), costs.isEmpty ? ["no rows below the header"] : [])
    }

    /// The cost records of rows under `header`, FOCUS or CUR 2.0 by `format`: `next` gives each
    /// row's fields and where it is (for messages), nil after the last. The CSV reader and
    /// Athena's query results (`AthenaResults`) share it.
    static func records(
        header: [String], format: SourceFormat, display: String,
        headerPosition: HeadroomError.Position = .line(1, column: nil),
        next: () throws -> (fields: [String], position: HeadroomError.Position)?
    ) throws -> [CostRecord] {
        let required = format == .focusCSV ? focusRequired : curRequired
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw HeadroomError(
                .ingest, file: display, position: headerPosition,
                "the header lacks the required columns " + missing.joined(separator: ", "))
        }
        var position: [String: Int] = [:]
        for (index, name) in header.enumerated() where position[name] == nil { position[name] = index }
        var records: [CostRecord] = []
        while let (fields, place) = try next() {
            func fail(_ column: String, _ message: String) -> HeadroomError {
                HeadroomError(.ingest, file: display, position: place, "column \(column): \(message)")
            }
            guard fields.count == header.count else {
                throw HeadroomError(
                    .ingest, file: display, position: place,
                    "\(fields.count) fields, but the header has \(header.count) columns")
            }
            func value(_ column: String) -> String? {
                guard let index = position[column] else { return nil }
                let text = fields[index]
                return text.isEmpty ? nil : text
            }
            func instant(_ column: String) throws(HeadroomError) -> Instant {
                guard let text = value(column), let instant = Timestamp.parse(text) else {
                    throw fail(
                        column, "expected a timestamp such as 2026-11-16T00:00:00Z, found \"\(value(column) ?? "")\"")
                }
                return instant
            }
            func amount(_ column: String) throws(HeadroomError) -> Decimal {
                guard let text = value(column), let amount = Decimal(exactly: text) else {
                    throw fail(column, "expected a decimal amount, found \"\(value(column) ?? "")\"")
                }
                return amount
            }
            if format == .focusCSV {
                let start = try instant("ChargePeriodStart")
                let end = try instant("ChargePeriodEnd")
                guard start < end else { throw fail("ChargePeriodEnd", "the period ends before it starts") }
                var groups: [String: String] = [:]
                groups["SERVICE"] = value("ServiceName")
                groups["RESOURCE"] = value("ResourceId")
                groups["ACCOUNT"] = value("SubAccountId")
                groups["REGION"] = value("RegionId")
                groups["CHARGE_CATEGORY"] = value("ChargeCategory")
                for name in header where name.hasPrefix("x_") { groups[name] = value(name) }
                let currency = value("BillingCurrency") ?? ""
                for metric in ["EffectiveCost", "BilledCost"] {
                    records.append(
                        CostRecord(
                            start: start, end: end, metric: metric, amount: try amount(metric), unit: currency,
                            groups: groups, source: display))
                }
            } else {
                let start = try instant("line_item_usage_start_date")
                let end = try instant("line_item_usage_end_date")
                guard start < end else { throw fail("line_item_usage_end_date", "the period ends before it starts") }
                var groups: [String: String] = [:]
                groups["SERVICE"] = value("line_item_product_code")
                groups["USAGE_TYPE"] = value("line_item_usage_type")
                groups["OPERATION"] = value("line_item_operation")
                groups["RESOURCE"] = value("line_item_resource_id")
                groups["ACCOUNT"] = value("line_item_usage_account_id")
                groups["REGION"] = value("product_region_code")
                groups["LINE_ITEM_TYPE"] = value("line_item_line_item_type")
                if let usageType = value("line_item_usage_type"), usageType.contains("Lambda-GB-Second") {
                    groups["ARCHITECTURE"] = usageType.hasSuffix("-ARM") ? "arm64" : "x86_64"
                }
                records.append(
                    CostRecord(
                        start: start, end: end, metric: "UnblendedCost", amount: try amount("line_item_unblended_cost"),
                        unit: value("line_item_currency_code") ?? "USD", groups: groups, source: display))
                records.append(
                    CostRecord(
                        start: start, end: end, metric: "UsageQuantity", amount: try amount("line_item_usage_amount"),
                        unit: value("pricing_unit") ?? "", groups: groups, source: display))
            }
        }
        return records
    }
}
