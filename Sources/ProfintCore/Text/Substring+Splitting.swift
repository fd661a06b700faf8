extension Substring {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map(index(after:)) ?? start
        return self[start..<end]
    }

    /// The start of the last run of two or more line breaks.
    func lastParagraphBreak() -> Range<Index>? {
        var index = endIndex
        while index > startIndex {
            let previous = self.index(before: index)
            if self[previous].isNewline, previous > startIndex, self[self.index(before: previous)].isNewline {
                var start = self.index(before: previous)
                while start > startIndex, self[self.index(before: start)].isNewline {
                    start = self.index(before: start)
                }
                return start..<index
            }
            index = previous
        }
        return nil
    }
}
