import Foundation
import HeadroomModel

/// Reads a Lambda price table: the built-in `builtin/lambda-prices.yml` or a project's override
/// (`cost: {lambdaPrices: FILE}`), in the format described at the top of the built-in file.
public enum PriceTableLoader {
    public static func builtIn() throws(HeadroomError) -> LambdaPriceTable {
        try parse(EmbeddedData.files["lambda-prices.yml"] ?? "", file: "(built-in) lambda-prices.yml")
    }

    /// Reads the file at `url`, which must lie inside `root` (the project).
    public static func load(from url: URL, display: String, root: URL) throws(HeadroomError) -> LambdaPriceTable {
        let data = try ProjectFile.read(
            url.path, display: display, root: root.path, limit: ConfigurationLoader.maximumSize, stage: .configuration)
        return try parse(try ProjectFile.text(data, display: display, stage: .configuration), file: display)
    }

    public static func parse(_ text: String, file: String) throws(HeadroomError) -> LambdaPriceTable {
        guard let table = try YAMLCursor.document(text, file: file, stage: .configuration) else {
            throw HeadroomError(.configuration, file: file, "the price table is empty")
        }
        let keys = [
            "version", "currency", "requestsPerMillion", "duration", "provisionedConcurrency", "provisionedDuration",
            "ephemeralStoragePerGBSecond", "freeTier",
        ]
        for (key, value) in try table.mapping("the price table") where !keys.contains(key) {
            throw value.fail(
                "unknown key '\(key)' in the price table"
                    + (Suggest.closest(to: key, in: keys).map { "; did you mean '\($0)'?" } ?? ""))
        }
        func amount(_ cursor: YAMLCursor, _ what: String) throws(HeadroomError) -> Decimal {
            guard let value = Decimal(exactly: try cursor.string(what)), value >= 0 else {
                throw cursor.fail("\(what) must be a decimal amount of at least 0, written as text such as \"0.20\"")
            }
            return value
        }
        var duration: [String: [LambdaPriceTable.Tier]] = [:]
        for (architecture, list) in try table.require("duration", in: "the price table").mapping("duration") {
            guard ["x86_64", "arm64"].contains(architecture) else {
                throw list.fail("duration has architecture '\(architecture)'; use x86_64 or arm64")
            }
            var tiers: [LambdaPriceTable.Tier] = []
            let items = try list.sequence("the tiers of \(architecture)")
            for (index, item) in items.enumerated() {
                let upTo = try item["upTo"].map { c throws(HeadroomError) in try amount(c, "upTo") }
                guard (upTo == nil) == (index == items.count - 1) else {
                    throw item.fail("every tier but the last needs upTo, and the last has none")
                }
                if let upTo, let previous = tiers.last?.upTo, upTo <= previous {
                    throw item.fail("tiers must be in increasing order of upTo")
                }
                tiers.append(
                    LambdaPriceTable.Tier(
                        upTo: upTo, pricePerGBSecond: try amount(try item.require("price", in: "a tier"), "price")))
            }
            guard !tiers.isEmpty else { throw list.fail("\(architecture) needs at least one tier") }
            duration[architecture] = tiers
        }
        func byArchitecture(_ key: String) throws(HeadroomError) -> [String: Decimal] {
            var prices: [String: Decimal] = [:]
            for (architecture, value) in try table[key]?.mapping(key) ?? [] {
                guard ["x86_64", "arm64"].contains(architecture) else {
                    throw value.fail("\(key) has architecture '\(architecture)'; use x86_64 or arm64")
                }
                prices[architecture] = try amount(value, "\(key).\(architecture)")
            }
            return prices
        }
        let free = table["freeTier"]
        let currency = try table.require("currency", in: "the price table").string("currency")
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw table.fail("currency must be an ISO 4217 code such as USD")
        }
        return LambdaPriceTable(
            version: try table.require("version", in: "the price table").string("version"), currency: currency,
            requestsPerMillion: try amount(
                try table.require("requestsPerMillion", in: "the price table"), "requestsPerMillion"),
            duration: duration,
            ephemeralStoragePerGBSecond: try table["ephemeralStoragePerGBSecond"].map { c throws(HeadroomError) in
                try amount(c, "ephemeralStoragePerGBSecond")
            } ?? 0,
            provisionedConcurrency: try byArchitecture("provisionedConcurrency"),
            provisionedDuration: try byArchitecture("provisionedDuration"),
            freeRequests: try free?["requests"].map { c throws(HeadroomError) in try amount(c, "freeTier.requests") }
                ?? 0,
            freeGBSeconds: try free?["gbSeconds"].map { c throws(HeadroomError) in try amount(c, "freeTier.gbSeconds") }
                ?? 0,
            source: file)
    }
}
