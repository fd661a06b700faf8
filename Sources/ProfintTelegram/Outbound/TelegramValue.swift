import ProfintCore

/// A JSON value of a Bot API call's parameters.
public typealias TelegramValue = JSONValue
