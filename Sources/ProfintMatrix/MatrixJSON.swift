import ProfintCore

/// Matrix event content: an open JSON tree.
public typealias MatrixJSON = JSONValue
