import Foundation
import HeadroomModel
import Testing

@Suite struct ParallelTests {
    /// A class instance is not Sendable: the values map carries it across threads only to read it.
    final class Page {
        let number: Int
        init(_ number: Int) { self.number = number }
    }

    @Test func valuesMapKeepsTheOrderAndThrowsTheFirstErrorByIndex() throws {
        let pages = (0..<2_000).map(Page.init)
        let doubled = try pages.concurrentMapOfValues { page throws(HeadroomError) in Page(page.number * 2) }
        #expect(doubled.map(\.number) == (0..<2_000).map { $0 * 2 })
        // Several elements fail: the error is the one of the lowest index, whatever ran first.
        for _ in 0..<20 {
            #expect {
                try pages.concurrentMapOfValues { page throws(HeadroomError) in
                    if page.number % 700 == 699 { throw HeadroomError(.render, "page \(page.number)") }
                    return page.number
                }
            } throws: { ($0 as? HeadroomError)?.message == "page 699" }
        }
    }
}
