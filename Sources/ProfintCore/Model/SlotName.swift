/// The slots of the intent catalogue, with their controlled values.
public enum SlotName: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case topic
    case targetGroup = "target_group"
    case country
    case language
    case time

    public static func < (lhs: SlotName, rhs: SlotName) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The controlled values, or nil for `time` (any `HH:MM`).
    public var allowedValues: [String]? {
        switch self {
        case .topic:
            return [
                "needs_assessment", "language", "recognition", "employment", "vocational_training",
                "coordination", "intercultural", "wellbeing", "engagement", "community", "digital",
                "admin_rights", "basic_needs", "self_care",
            ]
        case .targetGroup:
            return ["young_adults", "women", "unaccompanied_minors", "families", "low_literacy", "highly_skilled", "asylum_seekers"]
        case .country:
            return ["FR", "IT", "SE"]
        case .language:
            return Language.allCases.map(\.rawValue)
        case .time:
            return nil
        }
    }
}

/// Slot values stated by a message or carried over from the conversation.
public typealias Slots = [SlotName: String]
