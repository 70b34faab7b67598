/// Largest-Triangle-Three-Buckets (Steinarsson, 2013): keeps the first and last point and, from
/// each bucket in between, the point that makes the largest triangle with its neighbours, so
/// spikes and dips survive. Returns indices into `points`, ascending.
enum Downsample {
    static func lttb(_ points: [(x: Double, y: Double)], to threshold: Int) -> [Int] {
        let count = points.count
        guard threshold >= 3, count > threshold else { return Array(0..<count) }
        var chosen = [0]
        chosen.reserveCapacity(threshold)
        let size = Double(count - 2) / Double(threshold - 2)
        var previous = 0
        for bucket in 0..<(threshold - 2) {
            let start = Int(Double(bucket) * size) + 1
            let stop = min(Int(Double(bucket + 1) * size) + 1, count - 1)
            // The average of the next bucket (the last point for the last bucket).
            let nextStart = stop
            let nextStop = min(Int(Double(bucket + 2) * size) + 1, count)
            var averageX = 0.0
            var averageY = 0.0
            let span = max(1, nextStop - nextStart)
            for index in nextStart..<max(nextStart + 1, nextStop) where index < count {
                averageX += points[index].x
                averageY += points[index].y
            }
            averageX /= Double(span)
            averageY /= Double(span)
            let a = points[previous]
            var best = start
            var bestArea = -1.0
            for index in start..<max(start + 1, stop) {
                let p = points[index]
                let area = abs((a.x - averageX) * (p.y - a.y) - (a.x - p.x) * (averageY - a.y))
                if area > bestArea {
                    bestArea = area
                    best = index
                }
            }
            chosen.append(best)
            previous = best
        }
        chosen.append(count - 1)
        return chosen
    }
}
