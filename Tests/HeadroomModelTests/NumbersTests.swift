import Foundation
import HeadroomModel
import Testing

/// The one number formatter, against printf and against figures worked out by hand.
@Suite struct NumbersTests {
    @Test func fixedDecimalsMatchPrintf() {
        var state: UInt64 = 7
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var values: [Double] = [0, 0.5, 1.5, 2.5, 0.125, 0.375, 1.005, 2.675, 1e14, 123_456.785, 0.045, 9.995]
        for index in 0..<20_000 {
            values.append(next() * [1e-3, 1, 100, 1e4, 1e7, 1e12][index % 6])
        }
        for value in values {
            for places in 0...6 {
                #expect(Format.fixed(value, places) == String(format: "%.\(places)f", value), "\(value) \(places)")
            }
        }
        // Negative values and grouping, against printf with commas put in by hand: a real minus
        // sign, none on a value that rounds to zero.
        for value in values.prefix(2_000).map({ -$0 }) + [-0.004, -0.0, -1_234_567.891] {
            for places in 0...3 {
                var printed = String(format: "%.\(places)f", value)
                let negative = printed.hasPrefix("-") && printed.contains { "123456789".contains($0) }
                printed = printed.replacingOccurrences(of: "-", with: "")
                let whole = printed.split(separator: ".", omittingEmptySubsequences: false)
                var digits = Array(whole[0])
                var index = digits.count - 3
                while index > 0 {
                    digits.insert(",", at: index)
                    index -= 3
                }
                let expected =
                    (negative ? "−" : "") + String(digits) + (whole.count > 1 ? "." + whole[1] : "")
                #expect(Format.fixed(value, places, group: true) == expected, "\(value) \(places)")
            }
        }
    }

    /// The values the review quoted, each in the unit it is measured in.
    @Test func valuesPrintInTheirUnit() {
        #expect(Format.measure(475_262, unit: "Seconds") == "5.5 d")
        #expect(Format.measure(32_104, unit: "Seconds") == "8.9 h")
        #expect(Format.measure(259_200, unit: "Seconds") == "3.0 d")
        #expect(Format.measure(900_000, unit: "Milliseconds") == "15.0 min")
        #expect(Format.measure(850, unit: "Milliseconds") == "850 ms")
        #expect(Format.measure(5_610, unit: "Milliseconds") == "5.61 s")
        #expect(Format.measure(1_572_864, unit: "Bytes") == "1.5 MB")
        #expect(Format.measure(3456, unit: "Count") == "3,456")
        #expect(Format.measure(2.5, unit: "Count") == "2.50")
        #expect(Format.measure(7.14512644855, unit: "None") == "7.145")
        #expect(Format.measure(12_345.678, unit: nil) == "12,346")
        #expect(Format.measure(0.5, unit: "None") == "0.5")
        #expect(Format.measure(nil, unit: "Count") == "—")
        #expect(Format.measure(.nan, unit: "Count") == "—")
    }

    @Test func moneyIsPrintedFromItsDecimal() {
        #expect(Format.money(Decimal(string: "1793.675")!, "USD") == "1,793.68 USD")
        #expect(Format.money(Decimal(string: "21.679293473")!, "USD") == "21.68 USD")
        #expect(Format.money(Decimal(string: "-0.424")!, "USD") == "−0.42 USD")
        #expect(Format.money(Decimal(string: "-0.004")!, "USD") == "0.00 USD")
        #expect(Format.money(Decimal(string: "1234567.5")!, "EUR") == "1,234,567.50 EUR")
        // Half a cent rounds away from zero; 2.675 as a Double is 2.67499999999999982236431605997495353221893310546875.
        #expect(Format.money(Decimal(string: "2.675")!, "USD") == "2.68 USD")
        #expect(Format.moneyChange(from: 10, to: Decimal(string: "7.5")!, "USD") == "−2.50 USD")
        #expect(Format.moneyChange(from: nil, to: 1, "USD") == "—")
    }

    @Test func changesCarryTheSignTheyHave() {
        #expect(Format.signedPercent(28_472.2) == "+28,472.2%")
        #expect(Format.signedPercent(-4) == "−4.0%")
        #expect(Format.signedPercent(-0.04) == "0.0%")
        #expect(Format.change(from: 200.0, to: 150.0) == "−25.0%")
        #expect(Format.change(from: 0.0, to: 150.0) == nil)
        #expect(Format.change(from: Decimal(3), to: Decimal(4)) == "+33.3%")
        #expect(Format.pointChange(from: 1, to: 1.004) == "+0.004 pp")
        #expect(Format.pointChange(from: 1, to: 0.9999) == "0 pp")
        #expect(Format.pointChange(from: 2, to: 1.5) == "−0.50 pp")
        #expect(Format.percent(-121.375) == "−121.4%")
        #expect(Format.percent(0.004) == "<0.01%")
        #expect(Format.percent(0) == "0%")
        #expect(Format.grouped(-1_234_567) == "−1,234,567")
    }

    @Test func formatsNumbers() {
        #expect(Format.count(1_234_567.4) == "1,234,567")
        #expect(Format.count(999) == "999")
        #expect(Format.count(nil) == "—")
        #expect(Format.count(.nan) == "—")
        #expect(Format.percent(0.4) == "0.40%")
        #expect(Format.percent(0) == "0%")
        #expect(Format.percent(0.004) == "<0.01%")
        #expect(Format.change(from: 100.0, to: 138.0) == "+38.0%")
        #expect(Format.change(from: 100.0, to: 50.0) == "−50.0%")
        #expect(Format.change(from: 0.0, to: 5.0) == nil)
        #expect(Format.pointChange(from: 0.1, to: 0.35) == "+0.25 pp")
        // Too small for two decimals: three, so it does not read as no change.
        #expect(Format.pointChange(from: 0.0175, to: 0.0155) == "−0.002 pp")
        #expect(Format.pointChange(from: 0.02, to: 0.02) == "0 pp")
        #expect(Format.duration(milliseconds: 5612) == "5.61 s")
        #expect(Format.duration(milliseconds: 250) == "250 ms")
        #expect(Format.duration(milliseconds: 12.34) == "12.3 ms")
    }
}
