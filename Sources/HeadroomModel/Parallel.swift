import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map` on every core: the results keep the elements' order, and the first error by index is
    /// thrown, so the outcome does not depend on scheduling.
    public func concurrentMap<T: Sendable>(
        _ transform: @Sendable (Element) throws(HeadroomError) -> T
    ) throws(HeadroomError) -> [T] {
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result: Result<T, HeadroomError>
            do throws(HeadroomError) {
                result = .success(try transform(self[index]))
            } catch {
                result = .failure(error)
            }
            slots.set(index, result)
        }
        return try slots.values()
    }
}

extension Array {
    /// `concurrentMap` for elements, results and a transform that are not `Sendable` but are
    /// only read while it runs: value types made before the call (a week's report and plan) and
    /// new values made from them (a page's view and HTML). The caller vouches that `transform`
    /// touches no shared mutable state; the results keep the elements' order, and the first error
    /// by index is thrown.
    public func concurrentMapOfValues<T>(
        _ transform: (Element) throws(HeadroomError) -> T
    ) throws(HeadroomError) -> [T] {
        try withoutActuallyEscaping(transform) { transform throws(HeadroomError) in
            let work = Unchecked(transform)
            return try map(Unchecked.init).concurrentMap { element throws(HeadroomError) in
                Unchecked(try work.value(element.value))
            }.map(\.value)
        }
    }
}

/// A value handed between threads that only read it (`concurrentMapOfValues`).
private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// One result per index, written from several threads.
private final class Slots<T: Sendable>: @unchecked Sendable {
    private var results: [Result<T, HeadroomError>?]
    private let lock = NSLock()

    init(_ count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, HeadroomError>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    func values() throws(HeadroomError) -> [T] {
        try results.map { result throws(HeadroomError) in try result!.get() }
    }
}
