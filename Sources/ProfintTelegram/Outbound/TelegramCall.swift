import Foundation

/// One Bot API request: a method and its parameters.
public struct TelegramCall: Sendable, Hashable {
    public var method: String
    public var parameters: [String: TelegramValue]

    public init(method: String, parameters: [String: TelegramValue]) {
        self.method = method
        self.parameters = parameters
    }

    /// The JSON body for `POST /bot<token>/<method>` (keys sorted).
    public func jsonBody() -> Data {
        Self.encode(parameters)
    }

    /// The JSON body to return as a webhook response: the parameters plus
    /// `"method"` (the result of such a call is never known).
    public func webhookResponseBody() -> Data {
        var body = parameters
        body["method"] = .string(method)
        return Self.encode(body)
    }

    private static func encode(_ object: [String: TelegramValue]) -> Data {
        TelegramValue.object(object).jsonData()
    }
}
