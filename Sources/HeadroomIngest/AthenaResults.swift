import Foundation
import HeadroomModel

/// `aws athena get-query-results` of a query over a FOCUS 1.x or CUR 2.0 export table (the
/// organisation's AWS Data Exports, queried where they lie in S3): `ResultSet.Rows`, each a `Data`
/// list of `{"VarCharValue": "…"}`, every value a string, SQL NULL an empty object. The first row
/// is the header when it repeats `ResultSetMetadata.ColumnInfo`'s names (the CLI merges the pages of
/// a result, and only the first page has it); without ColumnInfo the first row is the header.
///
/// The rows are read as the CSV export with the same columns is (`CostExports.records`): amounts
/// as exact decimals, FOCUS's two metrics or CUR 2.0's two per row. Athena lowercases column names,
/// so FOCUS's are matched without regard to case; `timestamp` values (`2026-11-16 00:00:00.000`,
/// no zone) are UTC, as both exports' timestamps are. A `NextToken` left in the output means rows
/// are missing: a warning says so.
enum AthenaResults {
    static func read(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        let rows = try root.require("ResultSet").require("Rows").array()
        let names = try root["ResultSet"]?["ResultSetMetadata"]?["ColumnInfo"]?.array().map {
            column throws(HeadroomError) in try column.require("Name").string()
        }
        func fields(_ row: JSONCursor) throws(HeadroomError) -> [String] {
            try row.require("Data").array().map { value throws(HeadroomError) in
                try value["VarCharValue"]?.string() ?? ""
            }
        }
        var warnings: [String] = []
        if root["NextToken"] != nil {
            warnings.append("NextToken is set: later pages are missing, so costs may be incomplete")
        }
        guard let first = rows.first else {
            return (Dataset(), warnings + ["the result has no rows, not even its header"])
        }
        let firstFields = try fields(first)
        let header: [String]
        var start = 1
        if let names {
            header = names
            if firstFields.map({ $0.lowercased() }) != names.map({ $0.lowercased() }) { start = 0 }
        } else {
            header = firstFields
        }
        let canonical = header.map(canonicalName)
        guard let format = CostExports.format(header: canonical) else {
            throw first.fail(
                "the columns are neither a FOCUS nor a CUR 2.0 export's (\(header.prefix(6).joined(separator: ", "))…)",
                remedy: "query the export table with its own column names (SELECT chargeperiodstart, … or line_item_…)")
        }
        let timestamps: Set<Int> = Set(
            canonical.indices.filter {
                ["ChargePeriodStart", "ChargePeriodEnd", "line_item_usage_start_date", "line_item_usage_end_date"]
                    .contains(canonical[$0])
            })
        var index = start
        let records: [CostRecord]
        do {
            records = try CostExports.records(
                header: canonical, format: format, display: input.display,
                headerPosition: .jsonPath("$.ResultSet.Rows[0]")
            ) { () throws -> (fields: [String], position: HeadroomError.Position)? in
                guard index < rows.count else { return nil }
                defer { index += 1 }
                var values = try fields(rows[index])
                for column in timestamps where column < values.count { values[column] = utc(values[column]) }
                return (values, .jsonPath(rows[index].path))
            }
        } catch let error as HeadroomError {
            throw error
        } catch {
            throw HeadroomError(.ingest, file: input.display, "cannot read the result", underlying: error)
        }
        if records.isEmpty { warnings.append("no rows below the header") }
        return (Dataset(costs: records), warnings)
    }

    /// FOCUS's column names as the CSV export spells them, for Athena's lowercased ones.
    static let focusColumns: [String: String] = Dictionary(
        uniqueKeysWithValues: (CostExports.focusRequired + ["ResourceId", "SubAccountId", "RegionId", "ChargeCategory"])
            .map { ($0.lowercased(), $0) })

    static func canonicalName(_ name: String) -> String { focusColumns[name.lowercased()] ?? name }

    /// Athena's `timestamp` text (`2026-11-16 00:00:00.000`, no zone) as ISO 8601 in UTC; any other
    /// text unchanged.
    static func utc(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: " "), bytes[4] == UInt8(ascii: "-"),
            !text.hasSuffix("Z"), !bytes[19...].contains(UInt8(ascii: "+"))
        else { return text }
        return String(text.prefix(10)) + "T" + String(text.dropFirst(11)) + "Z"
    }
}
